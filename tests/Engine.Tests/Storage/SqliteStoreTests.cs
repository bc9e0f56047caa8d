using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Tests;
using Microsoft.Data.Sqlite;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>The SQLite store: the conformance suite, plus what only a file-backed store has.</summary>
public sealed class SqliteStoreTests : StoreConformanceTests
{
    private readonly TempFolder _folder = new();

    private LocalArtifactStore? _outputs;

    private protected override IArtifactStore Outputs => _outputs ??= new LocalArtifactStore(_folder.PathOf("artifacts"));

    private protected override (IRunStore Store, IWorkQueues Queues) Open()
    {
        var store = SqliteStore.Open(_folder.PathOf("store.db"), outputs: (LocalArtifactStore)Outputs);
        return (store, store);
    }

    protected override void Cleanup() => _folder.Dispose();

    [Fact]
    public async Task Reopening_the_file_keeps_everything_and_does_not_migrate_twice()
    {
        var plan = Of(Block("a"));
        var requested = RunDecider.Decide(plan, new RunState(), new RunRequested(T0, "r", "test", "hash", new Dictionary<string, System.Text.Json.JsonElement>(), "test"));
        using (var store = SqliteStore.Open(_folder.PathOf("reopened.db")))
        {
            await store.CommitAsync(new RunCommit { RunId = "r", ExpectedVersion = 0, Events = requested.Events, State = requested.State, Plan = plan }, CancellationToken.None);
        }

        using var reopened = SqliteStore.Open(_folder.PathOf("reopened.db"));

        Assert.Equal(RunStatus.Pending, (await reopened.GetRunAsync("r", CancellationToken.None))!.State.Status);
    }

    [Fact]
    public void An_empty_store_file_is_refused_instead_of_starting_again_with_no_runs()
    {
        var path = _folder.Write("empty.db", string.Empty);

        var error = Assert.Throws<StoreUnavailableException>(() => SqliteStore.Open(path, displayPath: ".duraflow/duraflow.db"));

        Assert.Equal(
            "the run store .duraflow/duraflow.db is an empty file (0 bytes), not a Duraflow store: its runs are gone. Delete it, with "
            + ".duraflow/duraflow.db-wal and .duraflow/duraflow.db-shm if they are there, to start a new, empty store, or put back a copy from a backup",
            error.Message);
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_naming_it_and_the_ways_out()
    {
        var path = _folder.Write("damaged.db", new string('x', 8192));

        var error = Assert.Throws<StoreUnavailableException>(() => SqliteStore.Open(path, displayPath: ".duraflow/duraflow.db"));

        Assert.StartsWith("the run store .duraflow/duraflow.db is damaged or not a SQLite database (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("to start a new, empty store, or put back a copy from a backup; `sqlite3 FILE .recover` may save what is still readable", error.Message, StringComparison.Ordinal);
        Assert.Equal(new string('x', 8192), File.ReadAllText(path));
    }

    [Fact]
    public void A_write_ahead_log_left_from_a_deleted_store_is_not_replayed_onto_a_new_one()
    {
        var path = _folder.PathOf("gone.db");
        _folder.Write("gone.db-wal", new string('w', 4096));

        var error = Assert.Throws<StoreUnavailableException>(() => SqliteStore.Open(path, displayPath: "gone.db"));

        Assert.StartsWith("the run store gone.db is gone but its write-ahead log gone.db-wal is still there", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_new_store_is_created_whole_with_nothing_left_beside_it()
    {
        var path = _folder.PathOf("fresh/store.db");

        using (var store = SqliteStore.Open(path))
        {
            Assert.True(new FileInfo(path).Length > 0);
        }

        Assert.Empty(Directory.GetFiles(_folder.PathOf("fresh"), "*.new*"));
    }

    [Fact]
    public async Task Writes_that_share_a_transaction_fail_alone_and_the_rest_commit()
    {
        var plan = Of(Block("a"));
        using var store = SqliteStore.Open(_folder.PathOf("group.db"));
        var lost = new LeasedWork("999999", WorkQueues.Blocks, "gone", "gone/a", "{}", 1, "not-our-lease");

        // Forty commits at once, so they queue and share transactions. Every other one fails after writing its run and
        // its work (the message it consumes was never leased): that must take back its own writes and nobody else's.
        var commits = Enumerable.Range(0, 40).Select(i =>
        {
            var decision = RunDecider.Decide(plan, new RunState(), new RunRequested(T0, $"r{i}", "test", "hash", new Dictionary<string, System.Text.Json.JsonElement>(), "test"));
            return store.CommitAsync(
                new RunCommit
                {
                    RunId = $"r{i}", ExpectedVersion = 0, Events = decision.Events, State = decision.State, Plan = plan,
                    Outgoing = [new WorkItem(WorkQueues.Blocks, $"r{i}", $"r{i}/start", "{}", T0)],
                    Consumed = i % 2 == 0 ? lost : null,
                },
                CancellationToken.None);
        }).ToList();
        var failed = new List<int>();
        for (var i = 0; i < commits.Count; i++)
        {
            try
            {
                await commits[i];
            }
            catch (LeaseLostException)
            {
                failed.Add(i);
            }
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 2), failed);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(i % 2 == 1, await store.GetRunAsync($"r{i}", CancellationToken.None) is not null);
        }

        var work = await store.DequeueAsync(WorkQueues.Blocks, 100, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"r{i * 2 + 1}/start"), work.Select(w => w.Key));
    }

    [Fact]
    public async Task A_file_from_before_block_rows_moves_its_snapshots_blocks_into_rows_when_opened()
    {
        var plan = Of(Block("a"), Block("b", "a"));
        var started = Started(plan, "r");
        var path = _folder.PathOf("schema2.db");
        using (var store = SqliteStore.Open(path))
        {
            await store.CommitAsync(new RunCommit { RunId = "r", ExpectedVersion = 0, Events = [], State = started, Plan = plan }, CancellationToken.None);
        }

        // Turn the file back into schema version 2: the whole state in runs.snapshot, no run_blocks table.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText = "DROP TABLE run_blocks; DROP TABLE limit_ledgers; DROP TABLE schedule_pauses; DROP TABLE alert_deliveries; DROP TABLE cache_entries; DROP TABLE backfills; DROP TABLE access_keys; DROP TABLE audit_log; ALTER TABLE runs DROP COLUMN waiting; DELETE FROM schema_migrations WHERE version >= 3; UPDATE runs SET snapshot = $s";
            downgrade.Parameters.AddWithValue("$s", started.ToJson());
            downgrade.ExecuteNonQuery();
        }

        using var migrated = SqliteStore.Open(path);
        var stored = await migrated.GetRunAsync("r", CancellationToken.None);

        Assert.Equal(["a", "b"], stored!.State.Blocks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(BlockStatus.Scheduled, stored.State.Block("a").Status);
        Assert.Equal(BlockStatus.Pending, stored.State.Block("b").Status);
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var snapshot = check.CreateCommand();
        snapshot.CommandText = "SELECT json_type(snapshot, '$.blocks') FROM runs";
        Assert.IsType<DBNull>(snapshot.ExecuteScalar());
    }

    [Fact]
    public async Task A_file_from_before_waiting_listings_counts_the_waiting_blocks_of_its_running_runs_when_opened()
    {
        var plan = Of(WaitBlock("a"), Block("b"), Block("list") with { FanOut = true }, WaitBlock("each", "list") with { MappedOver = "list" });
        var state = Started(plan, "r");
        state = Succeed(plan, state, "list", items: 2);
        foreach (var key in new[] { "a", "each[0]", "each[1]" })
        {
            state = Accept(plan, state, new BlockWaiting(T0, key, 1, T0.AddHours(1), "wait.for")).State;
        }

        Assert.Equal(BlockStatus.Waiting, state.Block("each").Status);
        var path = _folder.PathOf("schema4.db");
        using (var store = SqliteStore.Open(path))
        {
            await store.CommitAsync(new RunCommit { RunId = "r", ExpectedVersion = 0, Events = [], State = state, Plan = plan }, CancellationToken.None);
        }

        // Back to schema version 4: no waiting column, no count in the snapshot.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText = "DROP TABLE schedule_pauses; DROP TABLE alert_deliveries; DROP TABLE cache_entries; DROP TABLE backfills; DROP TABLE access_keys; DROP TABLE audit_log; ALTER TABLE runs DROP COLUMN waiting; DELETE FROM schema_migrations WHERE version >= 5; UPDATE runs SET snapshot = json_remove(snapshot, '$.waiting_blocks')";
            downgrade.ExecuteNonQuery();
        }

        using var migrated = SqliteStore.Open(path);

        // Three waiting: a and both items; the summary of 'each' is not counted on top of its items.
        Assert.Equal(3, (await migrated.GetRunAsync("r", CancellationToken.None))!.State.WaitingBlocks);
        Assert.Equal("r", Assert.Single(await migrated.ListRunsAsync(new RunQuery(WaitingOnly: true), CancellationToken.None)).RunId);
    }
}

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

    protected override (IRunStore Store, IWorkQueues Queues) Open()
    {
        var store = SqliteStore.Open(_folder.PathOf("store.db"));
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
            downgrade.CommandText = "DROP TABLE run_blocks; DELETE FROM schema_migrations WHERE version = 3; UPDATE runs SET snapshot = $s";
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
}

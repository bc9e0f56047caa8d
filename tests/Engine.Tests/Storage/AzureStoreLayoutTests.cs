using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Tests;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>
/// How the Azure store lays a run out (Azurite): one entity per block, commits too large for one transaction staged
/// and finished under the run's fence, reads that race commits, runs and listings written by the layout before.
/// Two store objects on one prefix stand for two processes: neither sees the other's cache.
/// </summary>
public sealed class AzureStoreLayoutTests : IAsyncLifetime
{
    // More blocks than one entity-group transaction holds (100 entities), so creating or starting the run splits.
    private static readonly RunPlan Wide = Of([.. Enumerable.Range(0, 250).Select(i => Block($"b{i}"))]);

    private static readonly RunPlan Narrow = Of(Block("a"), Block("b"), Block("c"));

    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12];
    private AzureStore _one = null!;
    private AzureStore _two = null!;

    public async Task InitializeAsync()
    {
        _one = await OpenAsync();
        _two = await OpenAsync();
    }

    public Task DisposeAsync() => _one.DeleteEverythingAsync(CancellationToken.None);

    [Fact]
    public async Task A_commit_too_large_for_one_transaction_is_stored_whole_and_leaves_nothing_staged()
    {
        var started = await CreateAndStartAsync(_one, Wide, "r");

        var read = await (await OpenAsync()).GetRunAsync("r", CancellationToken.None);

        Assert.Equal(Canonical(started.State), Canonical(read!.State));
        Assert.Equal(started.State.Version, read.Version);
        Assert.Empty(StagedBlobs());
        Assert.Equal("", (await RunEntityAsync("r")).GetString("Pending"));
        Assert.Equal(250, await BlockRowsAsync("r"));
    }

    [Fact]
    public async Task A_split_commit_whose_process_died_before_its_block_rows_is_read_whole_and_finished_by_the_next_commit()
    {
        var created = await CreateAsync(_one, Wide, "r");
        var started = RunDecider.Decide(Wide, created, new RunStarted(T0));
        _one.DieAfterTransaction = _ => new IOException("killed after the commit's transaction");
        await Assert.ThrowsAsync<IOException>(() => _one.CommitAsync(Commit("r", started, 1), CancellationToken.None));
        Assert.Single(StagedBlobs());

        // Another process reads the commit whole: the staged changes lie over the rows not written yet.
        var read = await _two.GetRunAsync("r", CancellationToken.None);
        Assert.Equal(Canonical(started.State), Canonical(read!.State));

        // Its next commit writes the rows first, then its own change.
        var next = RunDecider.Decide(Wide, read.State, new BlockStarted(T0, "b7", 1, "w"));
        await _two.CommitAsync(Commit("r", next, read.Version), CancellationToken.None);

        Assert.Empty(StagedBlobs());
        Assert.Equal("", (await RunEntityAsync("r")).GetString("Pending"));
        var fresh = await (await OpenAsync()).GetRunAsync("r", CancellationToken.None);
        Assert.Equal(Canonical(next.State), Canonical(fresh!.State));
        Assert.Equal(BlockStatus.Running, fresh.State.Block("b7").Status);
        Assert.Equal(BlockStatus.Scheduled, fresh.State.Block("b200").Status);
    }

    [Fact]
    public async Task An_alert_left_in_the_outbox_of_a_process_that_died_is_sent_by_the_commit_that_ends_the_run()
    {
        var created = await CreateAsync(_one, Narrow, "r");
        var started = RunDecider.Decide(Narrow, created, new RunStarted(T0));
        var alert = new WorkItem(WorkQueues.Alerts, "r", "r/alert/0/started/0", "{}", DateTimeOffset.UtcNow);
        _one.DieAfterTransaction = _ => new IOException("killed between the transaction and the queue puts");
        await Assert.ThrowsAsync<IOException>(() => _one.CommitAsync(Commit("r", started, 1) with { Outgoing = [alert] }, CancellationToken.None));
        Assert.Empty(await _two.DequeueAsync(WorkQueues.Alerts, 10, TimeSpan.FromMinutes(1), CancellationToken.None));

        // Another process ends the run at once, long before the sweeper would look at the outbox.
        var read = (await _two.GetRunAsync("r", CancellationToken.None))!;
        var cancelled = RunDecider.Decide(Narrow, read.State, new CancelRequested(T0, "by hand"));
        Assert.Equal(RunStatus.Cancelled, cancelled.State.Status);
        await _two.CommitAsync(Commit("r", cancelled, read.Version), CancellationToken.None);

        var sent = Assert.Single(await _two.DequeueAsync(WorkQueues.Alerts, 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(("r", "r/alert/0/started/0"), (sent.RunId, sent.Key));
    }

    [Fact]
    public async Task The_commit_that_ends_a_run_sends_none_of_the_runs_own_work_again_from_the_outbox_of_a_process_that_died()
    {
        // The process that started the run sent its messages, then died before it deleted the outbox.
        var created = await CreateAsync(_one, Narrow, "r");
        var started = RunDecider.Decide(Narrow, created, new RunStarted(T0));
        var block = new WorkItem(WorkQueues.Blocks, "r", "r/block/a/1", "{}", DateTimeOffset.UtcNow);
        var parent = new WorkItem(WorkQueues.Orchestration, "parent", "parent/child/r/0", "{}", DateTimeOffset.UtcNow);
        await _one.CommitAsync(Commit("r", started, 1) with { Outgoing = [block, parent] }, CancellationToken.None);
        Assert.Single(await _two.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Single(await _two.DequeueAsync(WorkQueues.Orchestration, 10, TimeSpan.FromMinutes(1), CancellationToken.None));

        // Another process ends the run, as the dead-letter of that block's message would.
        var read = (await _two.GetRunAsync("r", CancellationToken.None))!;
        var cancelled = RunDecider.Decide(Narrow, read.State, new CancelRequested(T0, "by hand"));
        Assert.Equal(RunStatus.Cancelled, cancelled.State.Status);
        await _two.CommitAsync(Commit("r", cancelled, read.Version), CancellationToken.None);

        // A copy of the block's message would count its deliveries from one again; the parent still hears again.
        Assert.Empty(await _two.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        var resent = Assert.Single(await _two.DequeueAsync(WorkQueues.Orchestration, 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(("parent", "parent/child/r/0"), (resent.RunId, resent.Key));
    }

    [Fact]
    public async Task The_sweeper_finishes_a_split_commit_that_nobody_commits_on_top_of()
    {
        var clock = new MovableTime(DateTimeOffset.UtcNow);
        var sweeping = await OpenAsync(clock);
        var created = await CreateAsync(_one, Wide, "r");
        var started = RunDecider.Decide(Wide, created, new RunStarted(T0));
        _one.DieAfterTransaction = _ => new IOException("killed after the commit's transaction");
        await Assert.ThrowsAsync<IOException>(() => _one.CommitAsync(Commit("r", started, 1), CancellationToken.None));

        clock.Advance(TimeSpan.FromMinutes(5));
        await sweeping.SweepAsync(CancellationToken.None);

        Assert.Empty(StagedBlobs());
        Assert.Equal("", (await RunEntityAsync("r")).GetString("Pending"));
        Assert.Equal(250, await BlockRowsAsync("r", version: started.State.Version));
    }

    [Fact]
    public async Task A_split_commit_whose_response_was_lost_and_whose_retry_was_refused_counts_as_committed()
    {
        var created = await CreateAsync(_one, Wide, "r");

        // The transaction is applied, then the connection drops before its answer: the client sends it again and the
        // service refuses the copy, since the run has moved on, by the very commit being retried.
        var dropped = new AfterResponse(m => m.Request.Method == RequestMethod.Post && m.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal), () =>
            throw new IOException("the connection dropped after the transaction was applied"));
        var flaky = await OpenAsync(policy: dropped);
        var started = RunDecider.Decide(Wide, created, new RunStarted(T0));
        await flaky.CommitAsync(Commit("r", started, 1), CancellationToken.None);

        Assert.False(dropped.Armed, "no transaction was dropped");
        Assert.Empty(StagedBlobs());
        var read = await _two.GetRunAsync("r", CancellationToken.None);
        Assert.Equal(Canonical(started.State), Canonical(read!.State));
        var next = RunDecider.Decide(Wide, read.State, new BlockStarted(T0, "b7", 1, "w"));
        await _two.CommitAsync(Commit("r", next, read.Version), CancellationToken.None);
    }

    [Fact]
    public async Task A_read_across_pages_that_races_the_writing_of_a_split_commit_and_a_commit_on_top_returns_one_version()
    {
        var plan = Of([.. Enumerable.Range(0, 1100).Select(i => Block($"b{i}"))]);
        var created = await CreateAsync(_one, plan, "r");
        _one.DieAfterTransaction = _ => new IOException("killed after the commit's transaction");
        await Assert.ThrowsAsync<IOException>(() => _one.CommitAsync(Commit("r", RunDecider.Decide(plan, created, new RunStarted(T0)), 1), CancellationToken.None));

        // After the reader's first page of block rows (the split commit's rows not written yet), another process
        // writes them and commits on top, changing a block on a later page.
        Decision? latest = null;
        var firstPage = new AfterResponse(
            m => m.Request.Method == RequestMethod.Get && m.Request.Uri.Query.Contains("blk", StringComparison.Ordinal)
                && m.Response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out _),
            async () =>
            {
                var seen = await _two.GetRunAsync("r", CancellationToken.None);
                latest = RunDecider.Decide(plan, seen!.State, new BlockStarted(T0, "b999", 1, "w"));
                await _two.CommitAsync(Commit("r", latest, seen.Version), CancellationToken.None);
            });
        var reader = await OpenAsync(policy: firstPage);

        var read = await reader.GetRunAsync("r", CancellationToken.None);

        Assert.False(firstPage.Armed, "the block rows fit one page");
        Assert.Equal(latest!.State.Version, read!.Version);
        Assert.Equal(Canonical(latest.State), Canonical(read.State));
    }

    [Fact]
    public async Task A_stale_split_commit_conflicts_and_leaves_neither_its_blocks_nor_its_staged_changes()
    {
        var created = await CreateAsync(_one, Wide, "r");
        var started = RunDecider.Decide(Wide, created, new RunStarted(T0));
        await _one.CommitAsync(Commit("r", started, 1), CancellationToken.None);

        var cancelled = RunDecider.Decide(Wide, created, new CancelRequested(T0, "late"));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _two.CommitAsync(Commit("r", cancelled, 1), CancellationToken.None));

        var read = await (await OpenAsync()).GetRunAsync("r", CancellationToken.None);
        Assert.Equal(Canonical(started.State), Canonical(read!.State));
        Assert.Empty(StagedBlobs());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_read_that_races_commits_returns_the_run_exactly_as_one_version_left_it(bool wide)
    {
        var plan = wide ? Wide : Narrow;
        var state = await CreateAndStartAsync(_one, plan, "r");
        var latest = state;

        // While the reader is between the run entity and the block rows, the other process commits three times: on
        // the narrow run each commit starts a block; on the wide one the last cancels all 250 blocks in one split
        // commit, more changes than the reader reads again one by one.
        _two.WhileReading = async runId =>
        {
            _two.WhileReading = null;
            RunEvent[] inputs = wide
                ? [new BlockStarted(T0, "b0", 1, "w"), new BlockStarted(T0, "b1", 1, "w"), new CancelRequested(T0, "stop")]
                : [new BlockStarted(T0, "a", 1, "w"), new BlockStarted(T0, "b", 1, "w"), new BlockStarted(T0, "c", 1, "w")];
            foreach (var input in inputs)
            {
                var version = latest.State.Version;
                latest = Accept(plan, latest.State, input);
                await _one.CommitAsync(Commit(runId, latest, version), CancellationToken.None);
            }
        };

        var read = await _two.GetRunAsync("r", CancellationToken.None);

        Assert.True(latest.State.Version > state.State.Version, "the racing commits did not happen");
        Assert.Equal(latest.State.Version, read!.Version);
        Assert.Equal(Canonical(latest.State), Canonical(read.State));
    }

    [Fact]
    public async Task A_read_racing_a_commit_in_every_round_of_catching_up_returns_one_committed_version_exactly()
    {
        var started = await CreateAndStartAsync(_one, Narrow, "r");
        var committed = new Dictionary<long, string> { [started.State.Version] = Canonical(started.State) };
        var latest = started.State;
        var inputs = new Queue<RunEvent>([new BlockStarted(T0, "a", 1, "w"), new BlockStarted(T0, "b", 1, "w"), new BlockStarted(T0, "c", 1, "w"), new CancelRequested(T0, "stop")]);

        // A commit before the block rows and one in each round of catching up.
        _two.WhileReading = async runId =>
        {
            if (inputs.TryDequeue(out var input))
            {
                var version = latest.Version;
                var next = Accept(Narrow, latest, input);
                await _one.CommitAsync(Commit(runId, next, version), CancellationToken.None);
                latest = next.State;
                committed[latest.Version] = Canonical(latest);
            }
        };

        var read = await _two.GetRunAsync("r", CancellationToken.None);

        Assert.True(committed.Count > 2, "the racing commits did not happen");
        Assert.Equal(committed[read!.Version], Canonical(read.State));
    }

    [Fact]
    public async Task A_run_folded_from_its_events_equals_the_run_read_from_its_rows()
    {
        var state = (await CreateAndStartAsync(_one, Wide, "r")).State;
        foreach (var input in new RunEvent[] { new BlockStarted(T0, "b3", 1, "w"), new BlockSucceeded(T0, "b3", 1, "out/b3"), new CancelRequested(T0, "stop") })
        {
            var version = state.Version;
            var next = Accept(Wide, state, input);
            await _one.CommitAsync(Commit("r", next, version), CancellationToken.None);
            state = next.State;
        }

        var folded = await _two.FoldEventsAsync("r", CancellationToken.None);
        var read = await _two.GetRunAsync("r", CancellationToken.None);

        Assert.Equal(state.Version, folded.Version);
        Assert.Equal(Canonical(read!.State), Canonical(folded.State));
        Assert.Equal(Canonical(state), Canonical(folded.State));
    }

    [Fact]
    public async Task A_run_written_in_the_layout_before_block_rows_is_read_as_it_is_and_converted_by_its_next_commit()
    {
        var started = Started(Narrow, "old");
        var runs = new TableServiceClient(Services.Azurite).GetTableClient(_prefix + "runs");
        var legacy = new TableEntity("old", RunPartition.RunRow)
        {
            ["RunId"] = "old", ["Pipeline"] = "test", ["Status"] = "running", ["Version"] = started.Version,
            ["DefinitionHash"] = "hash", ["RequestedAt"] = T0,
        };
        CompressedPayload.Write(legacy, started.ToJson(), "a layout-1 snapshot");
        await runs.AddEntityAsync(legacy);

        var read = await _two.GetRunAsync("old", CancellationToken.None);
        Assert.Equal(Canonical(started), Canonical(read!.State));

        var next = RunDecider.Decide(Narrow, read.State, new BlockStarted(T0, "a", 1, "w"));
        await _two.CommitAsync(Commit("old", next, read.Version), CancellationToken.None);

        var converted = await RunEntityAsync("old");
        Assert.Equal(RunPartition.CurrentLayout, converted.GetInt32("Layout"));
        Assert.Equal(3, await BlockRowsAsync("old"));
        var fresh = await (await OpenAsync()).GetRunAsync("old", CancellationToken.None);
        Assert.Equal(Canonical(next.State), Canonical(fresh!.State));
    }

    [Fact]
    public async Task Listings_spread_over_shards_page_newest_first_across_them_exactly_once()
    {
        for (var i = 0; i < 40; i++)
        {
            await CreateAsync(_one, Narrow, $"run-{i:D2}", T0.AddMinutes(i));
        }

        var partitions = new List<string>();
        await foreach (var row in Index().QueryAsync<TableEntity>("RowKey ge 'list|' and RowKey lt 'list}'", select: ["PartitionKey"]))
        {
            partitions.Add(row.PartitionKey);
        }

        Assert.True(partitions.Distinct().Count() >= 8, $"40 runs fell into {partitions.Distinct().Count()} listing partitions");
        Assert.Equal(Enumerable.Range(0, 40).Reverse().Select(i => $"run-{i:D2}"), await ListAllAsync(_two, pageSize: 7));
        Assert.Equal(40, await _two.CountUnfinishedRunsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Listings_in_the_partition_used_before_sharding_are_listed_once_and_moved_by_a_sweep()
    {
        for (var i = 0; i < 6; i++)
        {
            await CreateAsync(_one, Narrow, $"run-{i}", T0.AddMinutes(i));
        }

        // As a store written before sharding has them: runs 0 to 2 listed only in the old partition, run 3 in both.
        foreach (var i in new[] { 0, 1, 2, 3 })
        {
            await foreach (var row in Index().QueryAsync<TableEntity>($"RunId eq 'run-{i}'"))
            {
                await Index().UpsertEntityAsync(new TableEntity(row) { PartitionKey = RunIndex.Legacy, RowKey = row.RowKey });
                if (i < 3)
                {
                    await Index().DeleteEntityAsync(row.PartitionKey, row.RowKey);
                }
            }
        }

        var reopened = await OpenAsync();
        var expected = Enumerable.Range(0, 6).Reverse().Select(i => $"run-{i}").ToList();
        Assert.Equal(expected, await ListAllAsync(reopened, pageSize: 4));
        Assert.Equal(6, await reopened.CountUnfinishedRunsAsync(CancellationToken.None));

        await reopened.SweepAsync(CancellationToken.None);

        Assert.Empty(Index().Query<TableEntity>($"PartitionKey eq '{RunIndex.Legacy}'"));
        Assert.Equal(expected, await ListAllAsync(await OpenAsync(), pageSize: 4));
        Assert.Equal(6, await reopened.CountUnfinishedRunsAsync(CancellationToken.None));
    }

    private Task<AzureStore> OpenAsync(TimeProvider? time = null, HttpPipelinePolicy? policy = null) =>
        AzureStore.OpenAsync(AzureStorageAccount.FromConnectionString(Services.Azurite), new AzureStoreOptions { Prefix = _prefix, TablePolicy = policy }, time);

    private TableClient Index() => new TableServiceClient(Services.Azurite).GetTableClient(_prefix + "index");

    private async Task<TableEntity> RunEntityAsync(string runId) =>
        (await new TableServiceClient(Services.Azurite).GetTableClient(_prefix + "runs").GetEntityAsync<TableEntity>(runId, RunPartition.RunRow)).Value;

    // How many block rows the run has (of one version, when given).
    private async Task<int> BlockRowsAsync(string runId, long? version = null)
    {
        var count = 0;
        var runs = new TableServiceClient(Services.Azurite).GetTableClient(_prefix + "runs");
        await foreach (var row in runs.QueryAsync<TableEntity>(TableKeys.PrefixFilter(runId, RunBlockRows.Prefix)))
        {
            count += version is null || row.GetInt64("V") == version ? 1 : 0;
        }

        return count;
    }

    private List<string> StagedBlobs() => [.. _one.Container.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "commits/", CancellationToken.None).Select(b => b.Name)];

    private static async Task<List<string>> ListAllAsync(AzureStore store, int pageSize)
    {
        var ids = new List<string>();
        RunCursor? after = null;
        while (true)
        {
            var page = await store.ListRunsAsync(new RunQuery(Limit: pageSize, After: after), CancellationToken.None);
            ids.AddRange(page.Select(r => r.RunId));
            if (page.Count < pageSize)
            {
                return ids;
            }

            after = RunCursor.After(page[^1]);
        }
    }

    private static async Task<RunState> CreateAsync(AzureStore store, RunPlan plan, string runId, DateTimeOffset? at = null)
    {
        var requested = RunDecider.Decide(plan, new RunState(), new RunRequested(at ?? T0, runId, "p", "hash", new Dictionary<string, JsonElement>(), "test"));
        await store.CommitAsync(Commit(runId, requested, 0) with { Plan = plan }, CancellationToken.None);
        return requested.State;
    }

    private static async Task<Decision> CreateAndStartAsync(AzureStore store, RunPlan plan, string runId)
    {
        var started = RunDecider.Decide(plan, await CreateAsync(store, plan, runId), new RunStarted(T0));
        await store.CommitAsync(Commit(runId, started, 1), CancellationToken.None);
        return started;
    }

    private static RunCommit Commit(string runId, Decision decision, long version) => new()
    {
        RunId = runId, ExpectedVersion = version, Events = decision.Events, State = decision.State, BlockChanges = decision.State.Changes,
    };

    private static string Canonical(RunState state) =>
        state.ToJsonWithoutBlocks() + string.Join(",", state.Blocks.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}={JsonSerializer.Serialize(b.Value, EngineJson.Options)}"));

    /// <summary>Runs <paramref name="hook"/> once, after the first response matching <paramref name="match"/>, before the client sees it.</summary>
    private sealed class AfterResponse(Func<HttpMessage, bool> match, Func<Task> hook) : HttpPipelinePolicy
    {
        public bool Armed { get; private set; } = true;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("the store calls the service asynchronously");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (Armed && match(message))
            {
                Armed = false;
                await hook();
            }
        }
    }

    private sealed class MovableTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

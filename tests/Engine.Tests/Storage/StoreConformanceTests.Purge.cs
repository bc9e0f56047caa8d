using System.Text;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Workers;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>
/// Purging finished runs, the same on every store: what goes (the run, its events, logs, dead letters, idempotency key,
/// listing and outputs), what stays (unfinished and recent runs, other pipelines, checkpoints), and the fence that keeps
/// a run that changed after it was found.
/// </summary>
public abstract partial class StoreConformanceTests
{
    private protected static readonly DateTimeOffset Old = T0.AddDays(-40);
    private protected static readonly DateTimeOffset Cutoff = T0.AddDays(-30);

    private protected RunRetention Retention => new(Store, (IRunPurge)Store, keep: null);

    [Fact]
    public async Task A_purge_removes_finished_runs_that_ended_before_the_cutoff_with_all_they_own_and_keeps_the_rest()
    {
        await FinishAsync("old-ok", Old, idempotencyKey: "orders:old");
        await FailWithDeadLetterAsync("old-failed", Old);
        await CreateAsync("old-pending", requestedAt: Old);
        var running = RunDecider.Decide(_plan, await CreateAsync("old-running", requestedAt: Old.AddMinutes(1)), new RunStarted(Old));
        await Store.CommitAsync(Commit("old-running", running, version: 1), CancellationToken.None);
        await FinishAsync("recent", T0, idempotencyKey: "orders:recent");

        var result = await Retention.PurgeAsync(Cutoff, null, 1000, CancellationToken.None);

        Assert.Equal((2, 0, false), (result.Purged, result.Kept, result.More));
        foreach (var gone in new[] { "old-ok", "old-failed" })
        {
            Assert.Null(await Store.GetRunAsync(gone, CancellationToken.None));
            Assert.Empty(await Store.GetEventsAsync(gone, CancellationToken.None));
            Assert.Empty(await Store.GetLogsAsync(gone, null, CancellationToken.None));
            Assert.Empty(await Store.GetDeadLettersAsync(gone, CancellationToken.None));
            Assert.False(await Outputs.ExistsAsync(OutputKey(gone), CancellationToken.None));
        }

        Assert.Null(await Store.FindRunByIdempotencyKeyAsync("orders:old", CancellationToken.None));
        Assert.Equal("recent", await Store.FindRunByIdempotencyKeyAsync("orders:recent", CancellationToken.None));
        Assert.True(await Outputs.ExistsAsync(OutputKey("recent"), CancellationToken.None));
        Assert.Equal("done", Assert.Single(await Store.GetLogsAsync("recent", null, CancellationToken.None)).Message);
        Assert.Equal(["recent", "old-running", "old-pending"], (await Store.ListRunsAsync(new RunQuery(), CancellationToken.None)).Select(r => r.RunId));
        Assert.Equal(2, await Store.CountUnfinishedRunsAsync(CancellationToken.None));
        Assert.Equal("recent", (await Store.GetCheckpointAsync("p", "mark", CancellationToken.None))?.GetString());
        Assert.Equal(_plan.ToJson(), (await Store.GetPlanAsync("hash", CancellationToken.None)).ToJson());
    }

    [Fact]
    public async Task A_purge_of_one_pipeline_keeps_the_runs_of_the_others_and_a_dry_run_counts_without_purging()
    {
        await FinishAsync("p-old", Old);
        await FinishAsync("q-old", Old.AddMinutes(5), pipeline: "q");
        await FinishAsync("q-older", Old.AddMinutes(-5), pipeline: "q");

        var counted = await Retention.CountAsync(Cutoff, "q", CancellationToken.None);
        var listedBefore = (await Store.ListRunsAsync(new RunQuery(), CancellationToken.None)).Count;
        var result = await Retention.PurgeAsync(Cutoff, "q", 1000, CancellationToken.None);

        Assert.Equal((2, 3), (counted, listedBefore));
        Assert.Equal(2, result.Purged);
        Assert.Equal(["p-old"], (await Store.ListRunsAsync(new RunQuery(), CancellationToken.None)).Select(r => r.RunId));
        Assert.NotNull(await Store.GetRunAsync("p-old", CancellationToken.None));
        Assert.True(await Outputs.ExistsAsync(OutputKey("p-old"), CancellationToken.None));
    }

    [Fact]
    public async Task Purging_twice_removes_nothing_more_and_a_limit_stops_a_purge_with_more_left()
    {
        for (var i = 0; i < 5; i++)
        {
            await FinishAsync($"old-{i}", Old.AddMinutes(i));
        }

        var first = await Retention.PurgeAsync(Cutoff, null, 2, CancellationToken.None);
        var rest = await Retention.PurgeAsync(Cutoff, null, 1000, CancellationToken.None);
        var again = await Retention.PurgeAsync(Cutoff, null, 1000, CancellationToken.None);

        Assert.Equal((2, true), (first.Purged, first.More));
        Assert.Equal((3, false), (rest.Purged, rest.More));
        Assert.Equal((0, 0, false), (again.Purged, again.Kept, again.More));
        Assert.Empty(await Store.ListRunsAsync(new RunQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task A_run_retried_after_a_purge_found_it_stays_whole()
    {
        var failed = await FailWithDeadLetterAsync("retried", Old);
        var found = await Store.ListRunsAsync(new RunQuery(), CancellationToken.None);
        var version = (await Store.GetRunAsync("retried", CancellationToken.None))!.Version;
        var retry = Accept(_plan, failed, new RunRetryRequested(T0));
        await Store.CommitAsync(Commit("retried", retry, version), CancellationToken.None);

        var purged = await ((IRunPurge)Store).PurgeRunsAsync(found, Cutoff, (_, _) => Task.FromResult(true), CancellationToken.None);

        Assert.Empty(purged);
        var stored = await Store.GetRunAsync("retried", CancellationToken.None);
        Assert.Equal(RunStatus.Pending, stored!.State.Status);
        Assert.Equal(stored.Version, (await Store.GetEventsAsync("retried", CancellationToken.None)).Count);
        Assert.Single(await Store.GetDeadLettersAsync("retried", CancellationToken.None));
        Assert.True(await Outputs.ExistsAsync(OutputKey("retried"), CancellationToken.None));
    }

    [Fact]
    public async Task A_purge_racing_the_commits_of_an_unfinished_run_leaves_it_whole()
    {
        var plan = Of(Enumerable.Range(0, 20).Select(i => Block($"b{i}")).ToArray());
        var requested = RunDecider.Decide(plan, new RunState(), new RunRequested(Old, "live", "p", "hash", new Dictionary<string, JsonElement>(), "test"));
        await Store.CommitAsync(Commit("live", requested, 0) with { Plan = plan }, CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            await FinishAsync($"done-{i}", Old.AddMinutes(i));
        }

        async Task<long> CommitLiveAsync()
        {
            var (state, version) = (requested.State, 1L);
            foreach (var input in new RunEvent[] { new RunStarted(T0) }.Concat(Enumerable.Range(0, 20).Select(i => new BlockStarted(T0, $"b{i}", 1, "w"))))
            {
                var decision = Accept(plan, state, input);
                await Store.CommitAsync(Commit("live", decision, version) with { BlockChanges = decision.State.Changes }, CancellationToken.None);
                (state, version) = (decision.State, version + decision.Events.Count);
            }

            return version;
        }

        // Every run requested before the cutoff is looked at, the live one among them, while it commits.
        var purges = Task.Run(async () =>
        {
            var total = 0;
            for (var round = 0; round < 5; round++)
            {
                total += (await Retention.PurgeAsync(T0.AddDays(1), null, 3, CancellationToken.None)).Purged;
            }

            return total;
        });
        var committed = await CommitLiveAsync();
        Assert.Equal(10, await purges);
        await Retention.PurgeAsync(T0.AddDays(1), null, 1000, CancellationToken.None);

        var live = await Store.GetRunAsync("live", CancellationToken.None);
        Assert.Equal(RunStatus.Running, live!.State.Status);
        Assert.Equal(committed, live.Version);
        Assert.Equal(committed, (await Store.GetEventsAsync("live", CancellationToken.None)).Count);
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(BlockStatus.Running, live.State.Block($"b{i}").Status));
        Assert.Equal(["live"], (await Store.ListRunsAsync(new RunQuery(), CancellationToken.None)).Select(r => r.RunId));
    }

    [Fact]
    public async Task A_run_of_another_runtime_goes_only_once_its_history_is_purged()
    {
        await FinishAsync("durable-run", Old, runtime: "durable");
        var asked = new List<ExternalHistory>();
        var retention = Retention;

        var withoutHost = await retention.PurgeAsync(Cutoff, null, 1000, CancellationToken.None);
        retention.PurgeHistory = (history, _) => throw new InvalidOperationException("the task hub is out of reach");
        var refused = await retention.PurgeAsync(Cutoff, null, 1000, CancellationToken.None);
        retention.PurgeHistory = (history, _) =>
        {
            asked.Add(history);
            return Task.CompletedTask;
        };
        var purged = await retention.PurgeAsync(Cutoff, null, 1000, CancellationToken.None);

        Assert.Equal((0, 1), (withoutHost.Purged, withoutHost.Kept));
        Assert.Contains("whose history this process cannot reach", withoutHost.KeptBecause, StringComparison.Ordinal);
        Assert.Equal((0, 1), (refused.Purged, refused.Kept));
        Assert.Equal("the durable history of run durable-run could not be purged: the task hub is out of reach", refused.KeptBecause);
        Assert.Equal((1, 0), (purged.Purged, purged.Kept));
        Assert.Equal(new ExternalHistory("durable-run", "durable", 0), Assert.Single(asked));
        Assert.Null(await Store.GetRunAsync("durable-run", CancellationToken.None));
    }

    private protected static string OutputKey(string runId) => $"runs/{runId}/a/attempt-1.json";

    /// <summary>A run of pipeline <paramref name="pipeline"/> whose one block succeeds at <paramref name="at"/>, with an output, a log line and a checkpoint.</summary>
    private protected async Task FinishAsync(
        string runId, DateTimeOffset at, string pipeline = "p", string? idempotencyKey = null, string? runtime = null, string log = "done")
    {
        var requested = RunDecider.Decide(
            _plan, new RunState(), new RunRequested(at.AddMinutes(-1), runId, pipeline, "hash", new Dictionary<string, JsonElement>(), "test", Runtime: runtime));
        await Store.CommitAsync(Commit(runId, requested, 0) with { Plan = _plan, IdempotencyKey = idempotencyKey }, CancellationToken.None);
        var started = Accept(_plan, requested.State, new RunStarted(at));
        await Store.CommitAsync(Commit(runId, started, 1), CancellationToken.None);
        await Outputs.WriteAsync(OutputKey(runId), Encoding.UTF8.GetBytes("{\"rows\": 12}"), CancellationToken.None);
        var done = Accept(_plan, Accept(_plan, started.State, new BlockStarted(at, "a", 1, "w")).State, new BlockSucceeded(at, "a", 1, OutputKey(runId)));
        Assert.Equal(RunStatus.Succeeded, done.State.Status);
        await Store.CommitAsync(Commit(runId, done, started.State.Version) with
        {
            Logs = [new LogLine(at, "a", 1, "Information", log)],
            Checkpoints = new Dictionary<string, JsonElement> { ["mark"] = JsonSerializer.SerializeToElement(runId) },
        }, CancellationToken.None);
    }

    /// <summary>A run whose block's message is dead-lettered at <paramref name="at"/>, failing it; it has an output of an earlier attempt.</summary>
    private async Task<RunState> FailWithDeadLetterAsync(string runId, DateTimeOffset at)
    {
        var requested = RunDecider.Decide(_plan, new RunState(), new RunRequested(at.AddMinutes(-1), runId, "p", "hash", new Dictionary<string, JsonElement>(), "test"));
        await Store.CommitAsync(Commit(runId, requested, 0) with { Plan = _plan }, CancellationToken.None);
        var started = Accept(_plan, requested.State, new RunStarted(at));
        await Store.CommitAsync(
            Commit(runId, started, 1) with { Outgoing = [new WorkItem(WorkQueues.Blocks, runId, $"{runId}/block/a/1", "{}", DateTimeOffset.UtcNow)] }, CancellationToken.None);
        await Outputs.WriteAsync(OutputKey(runId), Encoding.UTF8.GetBytes("{}"), CancellationToken.None);
        var leased = Assert.Single(await Queues.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.FromMinutes(5), CancellationToken.None));
        var failed = Accept(_plan, Accept(_plan, started.State, new BlockStarted(at, "a", 1, "w")).State, new BlockFailed(at, "a", 1, "delivered too often", Retryable: false));
        Assert.Equal(RunStatus.Failed, failed.State.Status);
        await Store.CommitAsync(
            Commit(runId, failed, started.State.Version) with { Consumed = leased, DeadLetterReason = "delivered too often" }, CancellationToken.None);
        return failed.State;
    }
}

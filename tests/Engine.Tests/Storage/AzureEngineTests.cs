using System.Collections.Concurrent;
using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>Whole runs on the Azure store (Azurite) with several workers: sharing, racing, duplicates and a crash.</summary>
public sealed class AzureEngineTests
{
    private const int Items = 12;

    // list fans out 1..12, each doubles its item, all sums them: 2 * (1 + ... + 12) = 156.
    private static readonly RunPlan FanOutPlan = Of(Block("list") with { FanOut = true }, Block("each", "list") with { MappedOver = "list" }, Block("all", "each"));

    private int _sum;
    private int _items = Items;

    private Task<object?> Behaviour(BlockPlan block, BlockContext context)
    {
        object? result = block.Name switch
        {
            "list" => Enumerable.Range(1, _items).ToList(),
            "each" => context.Inputs["list"].Json.GetInt32() * 2,
            "all" => Interlocked.Exchange(ref _sum, context.Inputs["each"].Json.EnumerateArray().Sum(e => e.GetInt32())),
            _ => null,
        };
        return Task.FromResult(result);
    }

    [Fact]
    public async Task Two_workers_share_a_fan_out_run_and_every_block_succeeds_exactly_once()
    {
        await using var workers = new AzureWorkers(2, Behaviour);
        workers.Start();

        var final = await workers.FinishAsync(await workers.StartRunAsync(FanOutPlan));

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal(156, _sum);
        await AssertEachBlockSucceededOnceAsync(workers.Store(), final);
    }

    [Fact]
    public async Task Two_workers_share_a_fan_out_wider_than_one_transaction_and_every_block_succeeds_exactly_once()
    {
        // 150 items: the commit that adds them and the one that dispatches them are split across transactions, and
        // each worker reads the run while the other commits. A busy CI machine gets four minutes.
        _items = 150;
        await using var workers = new AzureWorkers(2, Behaviour);
        workers.Start();

        var final = await workers.FinishAsync(await workers.StartRunAsync(FanOutPlan), seconds: 240);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal(150 * 151, _sum);
        await AssertEachBlockSucceededOnceAsync(workers.Store(), final);
    }

    [Fact]
    public async Task A_run_retried_on_a_refreshed_plan_is_finished_by_another_worker_that_reads_the_new_plan_from_the_store()
    {
        var fixedSettings = JsonSerializer.SerializeToElement(new { fixed_it = true });
        await using var workers = new AzureWorkers(2, (block, context) => block.Name == "b" && block.With is null
            ? throw new NonRetryableBlockException("b is broken")
            : Behaviour(block, context));
        workers.Start();
        var runId = await workers.StartRunAsync(Of(Block("a"), Block("b", "a")));
        Assert.Equal(RunStatus.Failed, (await workers.FinishAsync(runId)).Status);

        // Worker 0 pins the new plan; worker 1 has never seen it and must read it from the store to run b.
        Assert.True((await workers.Engine(0).RetryAsync(runId, Of(Block("a"), Block("b", "a") with { With = fixedSettings }))).Accepted);
        var final = await workers.FinishAsync(runId);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal((1, 2), (final.Block("a").Attempt, final.Block("b").Attempt));
        var pinned = await workers.Store(1).GetPlanAsync(final.DefinitionHash, CancellationToken.None);
        Assert.NotNull(pinned.Block("b").With);
    }

    [Fact]
    public async Task Of_two_commits_on_the_same_version_one_wins_and_the_other_is_decided_again_without_losing_either()
    {
        var plan = Of(Block("a"), Block("b"));
        await using var workers = new AzureWorkers(2, Behaviour);
        var runId = await workers.StartRunAsync(plan);
        await workers.Engine(0).ApplyAsync(runId, new RunStarted(T0));
        var read = (await workers.Store(0).GetRunAsync(runId, CancellationToken.None))!;
        _ = await workers.Store(1).GetRunAsync(runId, CancellationToken.None);
        var startA = RunDecider.Decide(plan, read.State, new BlockStarted(T0, "a", 1, "w0"));
        var startB = RunDecider.Decide(plan, read.State, new BlockStarted(T0, "b", 1, "w1"));

        await workers.Store(0).CommitAsync(Commit(runId, read.Version, startA), CancellationToken.None);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => workers.Store(1).CommitAsync(Commit(runId, read.Version, startB), CancellationToken.None));
        await workers.Engine(1).ApplyAsync(runId, new BlockStarted(T0, "b", 1, "w1"));

        var stored = (await workers.Store(1).GetRunAsync(runId, CancellationToken.None))!;
        Assert.Equal((BlockStatus.Running, BlockStatus.Running), (stored.State.Block("a").Status, stored.State.Block("b").Status));
        Assert.Equal(stored.Version, (await workers.Store(1).GetEventsAsync(runId, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Every_message_delivered_twice_and_out_of_order_leaves_the_same_final_state_as_single_delivery()
    {
        var received = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        int Copies() => received.Count;
        int Repeats() => received.Values.Sum(n => n - 1);
        RunState twice;
        await using (var workers = new AzureWorkers(2, Behaviour, queues: store => new DuplicatingQueues((AzureStore)store, received)))
        {
            workers.Start();
            twice = await workers.FinishAsync(await workers.StartRunAsync(FanOutPlan));
            await AssertEachBlockSucceededOnceAsync(workers.Store(), twice);

            // Let the late copies arrive too, and check they changed nothing.
            var events = (await workers.Store().GetEventsAsync(twice.RunId, CancellationToken.None)).Count;
            await WaitUntilAsync(() => Repeats() >= Copies());
            Assert.Equal(events, (await workers.Store().GetEventsAsync(twice.RunId, CancellationToken.None)).Count);
        }

        var sumTwice = _sum;
        RunState once;
        await using (var workers = new AzureWorkers(1, Behaviour))
        {
            workers.Start();
            once = await workers.FinishAsync(await workers.StartRunAsync(FanOutPlan));
        }

        Assert.True(Copies() >= Items + 3, $"only {Copies()} messages were duplicated");
        Assert.Equal(156, sumTwice);
        Assert.Equal(Outcome(once), Outcome(twice));
    }

    [Fact]
    public async Task Work_committed_by_a_process_that_died_before_sending_it_is_sent_by_the_sweeper()
    {
        await using var workers = new AzureWorkers(2, Behaviour, new AzureStoreOptions { SweepAfter = TimeSpan.Zero });
        workers.Store(0).DieAfterTransaction = _ => new IOException("killed between the transaction and the queue puts");

        var runId = Guid.NewGuid().ToString("N");
        await Assert.ThrowsAsync<IOException>(() => workers.Engine(0).StartRunAsync(FanOutPlan, new Dictionary<string, JsonElement>(), "test", runId));
        Assert.Equal(RunStatus.Pending, (await workers.Store(1).GetRunAsync(runId, CancellationToken.None))!.State.Status);
        Assert.Empty(await workers.Store(1).DequeueAsync(WorkQueues.Orchestration, 32, TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.Equal(1, await workers.Store(1).SweepAsync(CancellationToken.None));
        Assert.Equal(0, await workers.Store(1).SweepAsync(CancellationToken.None));
        workers.Store(0).DieAfterTransaction = null;
        workers.Start();

        Assert.Equal(RunStatus.Succeeded, (await workers.FinishAsync(runId)).Status);
        Assert.Equal(156, _sum);
    }

    private static RunCommit Commit(string runId, long version, Decision decision) =>
        new() { RunId = runId, ExpectedVersion = version, Events = decision.Events, State = decision.State };

    private async Task AssertEachBlockSucceededOnceAsync(AzureStore store, RunState final)
    {
        var succeeded = (await store.GetEventsAsync(final.RunId, CancellationToken.None)).OfType<BlockSucceeded>().GroupBy(e => e.Key).ToList();
        Assert.Equal(_items + 2, succeeded.Count);
        Assert.All(succeeded, g => Assert.Single(g));
        Assert.All(final.Blocks.Values, b => Assert.Equal(BlockStatus.Succeeded, b.Status));
    }

    private static string Outcome(RunState state) =>
        string.Join(", ", state.Blocks.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}={b.Value.Status.ToSnakeCase()}/{b.Value.Attempt}/{b.Value.Items}"))
        + $" run={state.Status.ToSnakeCase()}";

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(50, limit.Token);
        }
    }
}

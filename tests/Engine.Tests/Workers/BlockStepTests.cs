using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Tests.Secrets;
using Xunit.Abstractions;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>
/// What one block step costs in store round trips, and the deferred start that makes a fast block cost one commit:
/// counted on a wrapper around the real SQLite store, with a clock that moves only when the test moves it.
/// </summary>
public class BlockStepTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_chain_of_fast_blocks_commits_once_per_block_and_reads_the_run_at_most_once_per_block()
    {
        using var steps = new StepEngine((_, _) => Task.FromResult<object?>(null), time: new ManualTime());

        var final = await steps.RunAsync(Of(Block("a"), Block("b", "a"), Block("c", "b")));

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Report(steps);
        var commits = steps.Store.Commits.ToList();
        Assert.Equal(2 + 3, commits.Count);
        Assert.IsType<RunRequested>(Assert.Single(commits[0]));
        Assert.IsType<RunStarted>(commits[1][0]);
        foreach (var (commit, key) in commits.Skip(2).Zip(["a", "b", "c"]))
        {
            // The start and the outcome of each block in one commit, with what they caused.
            Assert.Equal(new BlockStarted(commit[0].At, key, 1, steps.Options.WorkerId), commit[0]);
            Assert.Equal(key, Assert.IsType<BlockSucceeded>(commit[1]).Key);
        }

        Assert.IsType<RunCompleted>(commits[^1][^1]);
        Assert.InRange(steps.Store.Reads, 0, 3);
        Assert.Equal(0, steps.Store.Conflicts);

        // null outputs are kept inline: nothing written, nothing read.
        Assert.Equal(0, steps.Artifacts.Writes);
        Assert.Equal(0, steps.Artifacts.Reads);
    }

    [Fact]
    public async Task With_RecordStartAfter_zero_each_block_commits_its_start_before_it_runs()
    {
        var seenInStore = new List<BlockStatus>();
        StepEngine? engine = null;
        using var steps = engine = new StepEngine(async (block, context) =>
        {
            seenInStore.Add((await engine!.StoredAsync(context.RunId)).Block(block.Name).Status);
            return null;
        }, new EngineOptions { RecordStartAfter = TimeSpan.Zero }, new ManualTime());

        var final = await steps.RunAsync(Of(Block("a"), Block("b", "a"), Block("c", "b")));

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Report(steps);
        var commits = steps.Store.Commits.ToList();
        Assert.Equal(2 + (3 * 2), commits.Count);
        Assert.All([commits[2], commits[4], commits[6]], c => Assert.IsType<BlockStarted>(Assert.Single(c)));
        Assert.All([commits[3], commits[5], commits[7]], c => Assert.IsType<BlockSucceeded>(c[0]));
        Assert.Equal([BlockStatus.Running, BlockStatus.Running, BlockStatus.Running], seenInStore);
    }

    [Fact]
    public async Task A_block_still_running_after_RecordStartAfter_is_shown_running_before_it_ends_and_its_start_is_recorded_once()
    {
        var time = new ManualTime();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var steps = new StepEngine(async (_, _) =>
        {
            entered.TrySetResult();
            await release.Task;
            return "done";
        }, new EngineOptions { RecordStartAfter = TimeSpan.FromMilliseconds(500) }, time);
        var runId = await steps.StartAsync(Of(Block("slow")));
        var shownRunning = new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously);
        steps.Engine.RunChanged += (_, change) =>
        {
            var state = change.State;
            if (state.Block("slow").Status == BlockStatus.Running)
            {
                shownRunning.TrySetResult(state);
            }
        };

        var finishing = steps.FinishAsync(runId);
        await entered.Task.WaitAsync(Long);
        var startedAt = time.GetUtcNow();
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(BlockStatus.Scheduled, (await steps.StoredAsync(runId)).Block("slow").Status);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await shownRunning.Task.WaitAsync(Long);
        var stored = await steps.StoredAsync(runId);
        Assert.Equal(BlockStatus.Running, stored.Block("slow").Status);
        Assert.Equal(startedAt, stored.Block("slow").StartedAt);

        release.TrySetResult();
        var final = await finishing;

        Assert.Equal(RunStatus.Succeeded, final.Status);
        var started = Assert.Single((await steps.EventsAsync(runId)).OfType<BlockStarted>());
        Assert.Equal(startedAt, started.At);
        Assert.IsType<BlockSucceeded>(steps.Store.Commits.Last()[0]);
    }

    [Fact]
    public async Task A_block_not_yet_shown_running_keeps_its_lease_and_is_not_stopped_by_the_lease_keeper()
    {
        var time = new ManualTime();
        var entered = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var steps = new StepEngine(async (_, context) =>
        {
            entered.TrySetResult(context.CancellationToken);
            await release.Task;
            return "done";
        }, new EngineOptions { RecordStartAfter = TimeSpan.FromHours(1), Lease = TimeSpan.FromSeconds(30) }, time);
        var runId = await steps.StartAsync(Of(Block("slow")));
        var finishing = steps.FinishAsync(runId);
        var token = await entered.Task.WaitAsync(Long);

        // The keeper renews the lease and checks the run every 10 s; it has checked once it waits again.
        var rearmed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        time.TimerSet += () => rearmed.TrySetResult();
        var readsBefore = steps.Store.Reads;
        time.Advance(TimeSpan.FromSeconds(10));
        await rearmed.Task.WaitAsync(Long);

        Assert.Equal(readsBefore + 1, steps.Store.Reads);
        Assert.Equal(BlockStatus.Scheduled, (await steps.StoredAsync(runId)).Block("slow").Status);
        Assert.False(token.IsCancellationRequested, "the lease keeper stopped a block whose start is not recorded yet");
        release.TrySetResult();
        Assert.Equal(RunStatus.Succeeded, (await finishing).Status);
    }

    [Fact]
    public async Task A_cancel_before_the_start_is_recorded_cancels_the_block_at_once_and_stops_its_code_in_this_process()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var steps = new StepEngine(async (block, context) =>
        {
            if (block.Name == "slow")
            {
                entered.TrySetResult();
                await WaitForCancelAsync(stopped, context.CancellationToken);
            }

            return null;
        }, time: new ManualTime());
        var runId = await steps.StartAsync(Of(Block("slow"), Block("after", "slow")));
        Decision decision;
        await using (steps.Work())
        {
            await entered.Task.WaitAsync(Long);
            decision = await steps.Engine.CancelAsync(runId, "test");

            // Still working: what stops the code is the cancel, not the worker shutting down.
            await stopped.Task.WaitAsync(Long);
        }

        var final = await steps.StoredAsync(runId);

        // The store still showed it scheduled, so it was cancelled as a waiting block and the run ended at once.
        Assert.Equal(RunStatus.Cancelled, decision.State.Status);
        Assert.Equal(RunStatus.Cancelled, final.Status);
        Assert.Equal(BlockStatus.Cancelled, final.Block("slow").Status);
        Assert.Equal(BlockStatus.Cancelled, final.Block("after").Status);
        Assert.Equal(0, steps.CallsOf("after"));
        var events = await steps.EventsAsync(runId);
        Assert.DoesNotContain(events, e => e is BlockStarted);
        Assert.Single(events.OfType<BlockCancelled>(), e => e.Key == "slow");
    }

    [Fact]
    public async Task A_cancel_from_another_process_stops_the_block_when_its_start_is_refused()
    {
        var time = new ManualTime();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var steps = new StepEngine(async (_, context) =>
        {
            entered.TrySetResult();
            await WaitForCancelAsync(stopped, context.CancellationToken);
            return null;
        }, new EngineOptions { RecordStartAfter = TimeSpan.FromMilliseconds(500) }, time);
        var runId = await steps.StartAsync(Of(Block("slow")));
        await using (steps.Work())
        {
            await entered.Task.WaitAsync(Long);

            // Another process cancels: nothing tells this one until it tries to record the start.
            await steps.NewEngine().CancelAsync(runId, "elsewhere");
            Assert.False(stopped.Task.IsCompleted);
            time.Advance(TimeSpan.FromMilliseconds(500));
            await stopped.Task.WaitAsync(Long);
        }

        var final = await steps.StoredAsync(runId);
        Assert.Equal(RunStatus.Cancelled, final.Status);
        Assert.Equal(BlockStatus.Cancelled, final.Block("slow").Status);
        Assert.DoesNotContain(await steps.EventsAsync(runId), e => e is BlockStarted);
    }

    private static async Task WaitForCancelAsync(TaskCompletionSource stopped, CancellationToken token)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
            stopped.TrySetResult();
            throw;
        }
    }

    private void Report(StepEngine steps) => output.WriteLine(
        $"{steps.Store.Commits.Count} commits ({string.Join(" | ", steps.Store.Commits.Select(c => string.Join(", ", c.Select(e => e.GetType().Name))))}), "
        + $"{steps.Store.Reads} run reads, {steps.Artifacts.Writes} artifact writes, {steps.Artifacts.Reads} artifact reads");
}

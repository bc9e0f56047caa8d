using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Tests.Secrets;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>
/// The engine decides on the last snapshot it read or committed. Here a second engine over the same store (another
/// process) moves the run on behind the first one's back: the first must still lose nothing and refuse nothing wrongly.
/// </summary>
public class SnapshotCacheTests
{
    private readonly ManualTime _time = new();

    [Fact]
    public async Task A_commit_decided_on_a_stale_snapshot_is_refused_by_the_store_and_redone_on_the_fresh_one_without_losing_an_update()
    {
        using var steps = new StepEngine((_, _) => Task.FromResult<object?>(null), time: _time);
        var runId = await steps.StartAsync(Of(Block("x"), Block("y")));
        await steps.Engine.ApplyAsync(runId, new RunStarted(T0));
        var other = steps.NewEngine();
        await other.ApplyAsync(runId, [new BlockStarted(T0, "x", 1, "other"), new BlockSucceeded(T0, "x", 1, OutputReference.Inline("1"))]);
        steps.Store.Reset();

        var decision = await steps.Engine.ApplyAsync(runId, [new BlockStarted(T0, "y", 1, "this"), new BlockSucceeded(T0, "y", 1, OutputReference.Inline("2"))]);

        Assert.True(decision.Accepted, decision.Rejection);
        Assert.Equal(1, steps.Store.Conflicts);
        Assert.Equal(1, steps.Store.Reads);
        var stored = await steps.StoredAsync(runId);
        Assert.Equal(RunStatus.Succeeded, stored.Status);
        Assert.Equal("json:1", stored.Block("x").Output);
        Assert.Equal("json:2", stored.Block("y").Output);
        var events = await steps.EventsAsync(runId);
        Assert.Single(events.OfType<BlockSucceeded>(), e => e.Key == "x");
        Assert.Single(events.OfType<BlockSucceeded>(), e => e.Key == "y");
        Assert.Single(events.OfType<RunCompleted>());
    }

    [Fact]
    public async Task A_report_refused_on_a_stale_snapshot_is_checked_on_a_fresh_read_before_it_counts_as_refused()
    {
        using var steps = new StepEngine((_, _) => Task.FromResult<object?>(null), time: _time);
        var runId = await steps.StartAsync(Of(Block("x")));
        await steps.NewEngine().ApplyAsync(runId, new RunStarted(T0));
        steps.Store.Reset();

        // This engine last saw the run pending, where a block report is refused.
        var decision = await steps.Engine.ApplyAsync(runId, [new BlockStarted(T0, "x", 1, "this"), new BlockSucceeded(T0, "x", 1, OutputReference.Inline("1"))]);

        Assert.True(decision.Accepted, decision.Rejection);
        Assert.Equal(1, steps.Store.Reads);
        Assert.Equal(0, steps.Store.Conflicts);
        Assert.Equal(RunStatus.Succeeded, (await steps.StoredAsync(runId)).Status);
    }

    [Fact]
    public async Task A_block_message_the_stale_snapshot_does_not_know_is_checked_in_the_store_and_run()
    {
        using var steps = new StepEngine((_, _) => Task.FromResult<object?>("ran"), time: _time);
        var runId = await steps.StartAsync(Of(Block("x")));

        // Another process starts the run, so only it knows x is scheduled.
        var start = await steps.DequeueAsync(WorkQueues.Orchestration, TimeSpan.FromMinutes(1));
        await steps.NewEngine().ApplyAsync(runId, new RunStarted(T0), new RunCommitExtras { Consumed = start });
        var final = await steps.FinishAsync(runId);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal(1, steps.CallsOf("x"));
        Assert.Equal("json:\"ran\"", final.Block("x").Output);
    }

    [Fact]
    public async Task A_duplicate_message_delivered_after_the_attempt_finished_is_completed_and_changes_nothing()
    {
        using var steps = new StepEngine((_, _) => Task.FromResult<object?>("done"), time: _time);
        var runId = await steps.StartAsync(Of(Block("x")));
        await steps.Engine.ApplyAsync(runId, new RunStarted(T0), new RunCommitExtras { Consumed = await steps.DequeueAsync(WorkQueues.Orchestration, TimeSpan.FromMinutes(1)) });

        // A worker takes the message and its lease lapses at once; another worker gets it again and finishes it.
        var first = await steps.DequeueAsync(WorkQueues.Blocks, TimeSpan.Zero);
        var second = await steps.DequeueAsync(WorkQueues.Blocks, TimeSpan.FromMinutes(1));
        await steps.Runner.RunAsync(second, CancellationToken.None);
        var events = await steps.EventsAsync(runId);
        var commits = steps.Store.Commits.Count;

        await steps.Runner.RunAsync(first, CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, (await steps.StoredAsync(runId)).Status);
        Assert.Equal(events.Count, (await steps.EventsAsync(runId)).Count);
        Assert.Equal(commits, steps.Store.Commits.Count);
        Assert.Equal(1, steps.CallsOf("x"));
        Assert.Null(await steps.Sqlite.NextVisibleAtAsync(WorkQueues.Blocks, CancellationToken.None));
    }

    [Fact]
    public async Task A_stale_copy_of_a_failed_attempt_is_completed_without_running_the_block_again()
    {
        using var steps = new StepEngine(
            (_, context) => context.Attempt == 1 ? throw new InvalidOperationException("flaky") : Task.FromResult<object?>(null), time: _time);
        var runId = await steps.StartAsync(Of(Block("x") with { Retry = Retries(2) }));
        await steps.Engine.ApplyAsync(runId, new RunStarted(T0), new RunCommitExtras { Consumed = await steps.DequeueAsync(WorkQueues.Orchestration, TimeSpan.FromMinutes(1)) });
        var first = await steps.DequeueAsync(WorkQueues.Blocks, TimeSpan.Zero);
        var second = await steps.DequeueAsync(WorkQueues.Blocks, TimeSpan.FromMinutes(1));
        await steps.Runner.RunAsync(second, CancellationToken.None);
        var events = (await steps.EventsAsync(runId)).Count;

        await steps.Runner.RunAsync(first, CancellationToken.None);

        Assert.Equal(1, steps.CallsOf("x"));
        Assert.Equal(events, (await steps.EventsAsync(runId)).Count);
        Assert.Equal(BlockStatus.Retrying, (await steps.StoredAsync(runId)).Block("x").Status);
        Assert.Null(await steps.Sqlite.NextVisibleAtAsync(WorkQueues.Blocks, CancellationToken.None));
    }
}

using System.Collections.Concurrent;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Tests.Runs;
using Duraflow.Engine.Workers;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>Both worker loops report a failure outside block code the same way, exception and all, and carry on.</summary>
public sealed class WorkFailureTests
{
    [Theory]
    [InlineData(WorkQueues.Orchestration)]
    [InlineData(WorkQueues.Blocks)]
    public async Task A_store_failure_in_either_loop_is_reported_with_its_exception_and_the_run_still_finishes(string queue)
    {
        using var scenario = new ScenarioEngine((_, _) => Task.FromResult<object?>(1));
        var queues = new FailingOnce(scenario.Engine.Queues, queue);
        var committer = new RunCommitter(scenario.Engine.Store, queues, scenario.Engine.Artifacts, scenario.Engine.Options, scenario.Engine.Time);
        var workers = new WorkerHost(committer, new BlockAttemptRunner(committer, new DelegateExecutor((_, _) => Task.FromResult(Duraflow.Blocks.BlockValue.Null))));
        var failures = new ConcurrentQueue<WorkFailure>();
        workers.WorkFailed += (_, failure) => failures.Enqueue(failure);
        var runId = await committer.StartRunAsync(Plans.Of(Plans.Block("a")), new Dictionary<string, System.Text.Json.JsonElement>(), "test");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = workers.RunAsync(stop.Token);
        RunState? final = null;
        while (final is null && !stop.IsCancellationRequested)
        {
            await committer.Signal.WaitAsync(TimeSpan.FromMilliseconds(50), stop.Token);
            final = (await committer.Store.GetRunAsync(runId, CancellationToken.None))?.State is { } s && s.Status.IsTerminal() ? s : null;
        }

        await stop.CancelAsync();
        await running;

        Assert.Equal(RunStatus.Succeeded, final?.Status);
        var failure = Assert.Single(failures);
        Assert.Null(failure.Work);
        Assert.IsType<StoreUnavailableException>(failure.Error);
        Assert.Equal($"the store could not receive from {queue}", failure.Error.Message);
    }

    [Fact]
    public async Task A_delivered_message_that_fails_is_reported_like_the_pollers_own_and_thrown_for_redelivery()
    {
        // What the Functions queue trigger hands over: a message something else received.
        using var scenario = new ScenarioEngine((_, _) => Task.FromResult<object?>(1));
        var queues = new FailingCompletion(scenario.Engine.Queues);
        var committer = new RunCommitter(scenario.Engine.Store, queues, scenario.Engine.Artifacts, scenario.Engine.Options, scenario.Engine.Time);
        var workers = new WorkerHost(committer, new BlockAttemptRunner(committer, new DelegateExecutor((_, _) => Task.FromResult(Duraflow.Blocks.BlockValue.Null))));
        var failures = new ConcurrentQueue<WorkFailure>();
        workers.WorkFailed += (_, failure) => failures.Enqueue(failure);
        var delivered = new LeasedWork("m1", WorkQueues.Blocks, "no-such-run", "a", "{}", 1, "lease");

        var thrown = await Assert.ThrowsAsync<StoreUnavailableException>(() => workers.HandleDeliveredAsync(delivered, CancellationToken.None));

        var failure = Assert.Single(failures);
        Assert.Same(delivered, failure.Work);
        Assert.Same(thrown, failure.Error);
    }

    // Passes everything on, except that completing a message fails as an unreachable store does.
    private sealed class FailingCompletion(IWorkQueues inner) : IWorkQueues
    {
        public Task<IReadOnlyList<LeasedWork>> DequeueAsync(string from, int max, TimeSpan lease, CancellationToken cancellationToken) => inner.DequeueAsync(from, max, lease, cancellationToken);

        public Task<bool> RenewAsync(LeasedWork work, TimeSpan lease, CancellationToken cancellationToken) => inner.RenewAsync(work, lease, cancellationToken);

        public Task ReleaseAsync(LeasedWork work, TimeSpan delay, CancellationToken cancellationToken) => inner.ReleaseAsync(work, delay, cancellationToken);

        public Task CompleteAsync(LeasedWork work, CancellationToken cancellationToken) => throw new StoreUnavailableException("the store could not complete the message");

        public Task<DateTimeOffset?> NextVisibleAtAsync(string from, CancellationToken cancellationToken) => inner.NextVisibleAtAsync(from, cancellationToken);
    }

    // Passes everything on, except that the first receive from one queue fails as an unreachable store does.
    private sealed class FailingOnce(IWorkQueues inner, string queue) : IWorkQueues
    {
        private int _failed;

        public Task<IReadOnlyList<LeasedWork>> DequeueAsync(string from, int max, TimeSpan lease, CancellationToken cancellationToken) =>
            from == queue && Interlocked.Exchange(ref _failed, 1) == 0
                ? throw new StoreUnavailableException($"the store could not receive from {queue}")
                : inner.DequeueAsync(from, max, lease, cancellationToken);

        public Task<bool> RenewAsync(LeasedWork work, TimeSpan lease, CancellationToken cancellationToken) => inner.RenewAsync(work, lease, cancellationToken);

        public Task ReleaseAsync(LeasedWork work, TimeSpan delay, CancellationToken cancellationToken) => inner.ReleaseAsync(work, delay, cancellationToken);

        public Task CompleteAsync(LeasedWork work, CancellationToken cancellationToken) => inner.CompleteAsync(work, cancellationToken);

        public Task<DateTimeOffset?> NextVisibleAtAsync(string from, CancellationToken cancellationToken) => inner.NextVisibleAtAsync(from, cancellationToken);
    }
}

using Duraflow.Engine.Connections;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using static Duraflow.Engine.Runtime.WorkMessages;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Runs one dequeued block attempt from start to commit: drops stale and duplicate messages, dead-letters poison
/// ones, keeps the lease alive while the code runs, stops the code on cancel or timeout, stores the output and
/// reports the outcome in one commit that also deletes the message. The start is decided before the code runs but
/// committed with the outcome, unless the attempt outlasts <see cref="EngineOptions.RecordStartAfter"/>
/// (see <see cref="DeferredStart"/>): a fast block costs one commit and, when this process dispatched it, no read.
/// The attempt's connections and secrets are those of the project's files when it starts
/// (<see cref="ReloadingConnections"/>).
/// </summary>
internal sealed class BlockAttemptRunner(RunCommitter committer, IBlockExecutor executor, ReloadingConnections? connections = null)
{
    private readonly BlockAttempt _attempt = new(committer, executor, connections);

    /// <summary>Runs the attempt in <paramref name="work"/>; <paramref name="stopping"/> means the worker is shutting down.</summary>
    public async Task RunAsync(LeasedWork work, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(work);
        var message = Read<BlockWork>(work);
        using var received = EngineTelemetry.StartReceiveActivity(work.RunId, work.Queue, message.TraceParent);

        // Usually the snapshot this process committed when it dispatched the block; a cached one that calls the
        // message stale is checked against the store first.
        var stored = await committer.ReadRunAsync(work.RunId, state => InFlight(state, message), stopping).ConfigureAwait(false);
        if (stored is null)
        {
            await committer.Queues.CompleteAsync(work, stopping).ConfigureAwait(false);
            return;
        }

        if (work.Deliveries > committer.Options.MaxDeliveries)
        {
            var reason = $"{message.Key} attempt {message.Attempt} was delivered {work.Deliveries - 1} times and never finished: the worker running it "
                + $"stopped each time (a crash, a kill or an expired lease), so it was dead-lettered instead of being tried again";
            await committer.ApplyAsync(work.RunId, new BlockFailed(Now, message.Key, message.Attempt, reason, Retryable: false),
                new RunCommitExtras { Consumed = work, DeadLetterReason = reason }, stopping).ConfigureAwait(false);
            return;
        }

        var state = stored.State;
        var inFlight = InFlight(state, message);
        if (inFlight && state.Status == RunStatus.Cancelling)
        {
            // Left running by a worker that died; the run is being cancelled, so record it as stopped.
            await committer.ApplyAsync(work.RunId, new BlockCancelled(Now, message.Key, message.Attempt), new RunCommitExtras { Consumed = work }, stopping).ConfigureAwait(false);
            return;
        }

        if (!inFlight || state.Status != RunStatus.Running)
        {
            await committer.Queues.CompleteAsync(work, stopping).ConfigureAwait(false);
            return;
        }

        // Deferred, the start is decided here (the decider's checks, no I/O) and committed later; else before running.
        var plan = await committer.PlanAsync(state.DefinitionHash, stopping).ConfigureAwait(false);
        var start = new BlockStarted(Now, message.Key, message.Attempt, committer.Options.WorkerId);
        var deferred = committer.Options.RecordStartAfter > TimeSpan.Zero;
        var started = deferred
            ? RunDecider.Decide(plan, state, start)
            : await committer.ApplyAsync(work.RunId, start, null, stopping).ConfigureAwait(false);
        if (!started.Accepted)
        {
            await committer.Queues.CompleteAsync(work, stopping).ConfigureAwait(false);
            return;
        }

        await ExecuteAsync(work, message, plan, started.State, deferred ? start : null, stopping).ConfigureAwait(false);
    }

    private static bool InFlight(RunState state, BlockWork message) =>
        state.Blocks.GetValueOrDefault(message.Key) is { Status: BlockStatus.Scheduled or BlockStatus.Running } block && block.Attempt == message.Attempt;

    private DateTimeOffset Now => committer.Time.GetUtcNow();

    /// <summary>Runs the attempt; <paramref name="start"/> is its start when not committed yet.</summary>
    private async Task ExecuteAsync(LeasedWork work, BlockWork message, RunPlan plan, RunState state, BlockStarted? start, CancellationToken stopping)
    {
        var block = plan.Block(InstanceKeys.Parse(message.Key).Block);
        using var attempt = new AttemptCancellation(block.Timeout, stopping);
        committer.Running.Add(work.RunId, message.Key, attempt.Source);
        using var deferred = start is null ? null : new DeferredStart(committer, work.RunId, start, attempt);
        var keeper = KeepLeaseAsync(work, message, attempt);
        AttemptReport? report;
        try
        {
            report = await _attempt.RunAsync(work.RunId, plan, state, message.Key, message.Attempt, attempt).ConfigureAwait(false);
        }
        finally
        {
            committer.Running.Remove(work.RunId, message.Key);
            if (deferred is not null)
            {
                // Before the outcome's commit, so the two never race; it never throws.
                await deferred.StopAsync().ConfigureAwait(false);
            }

            await attempt.StopKeepingAsync(keeper).ConfigureAwait(false);
        }

        if (attempt.LeaseLost || report is null)
        {
            // Another worker owns the message now (or this one is shutting down): its result is the one that counts.
            if (!attempt.LeaseLost)
            {
                await committer.Queues.ReleaseAsync(work, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        var extras = new RunCommitExtras
        {
            Consumed = work,
            Logs = report.Logs,
        };
        await CommitAsync(work.RunId, deferred?.With(report.Report) ?? [report.Report], extras).ConfigureAwait(false);
    }

    private async Task CommitAsync(string runId, IReadOnlyList<RunEvent> reports, RunCommitExtras extras)
    {
        try
        {
            // Not cancellable: the outcome is already paid for, and the commit is one short transaction.
            await committer.ApplyAsync(runId, reports, extras, CancellationToken.None).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            // The lease ended during the commit's preparation; the redelivered attempt will report instead.
        }
    }

    private async Task KeepLeaseAsync(LeasedWork work, BlockWork message, AttemptCancellation attempt)
    {
        var every = committer.Options.Lease / 3;
        while (!attempt.KeeperStopping.IsCancellationRequested)
        {
            // Stopped without an exception: almost every attempt ends before the first renewal is due.
            await Task.Delay(every, committer.Time, attempt.KeeperStopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (attempt.KeeperStopping.IsCancellationRequested)
            {
                return;
            }

            try
            {
                if (!await committer.Queues.RenewAsync(work, committer.Options.Lease, attempt.KeeperStopping).ConfigureAwait(false))
                {
                    attempt.Cancel(AttemptCancellation.Why.LeaseLost);
                    return;
                }

                // A cancel committed by another process reaches this worker here. Read from the store, not the
                // cache: only another process can have changed the run. Scheduled is fine too: the start may not be
                // recorded yet (EngineOptions.RecordStartAfter).
                var run = await committer.Store.GetRunAsync(work.RunId, attempt.KeeperStopping).ConfigureAwait(false);
                if (run is null || run.State.Status != RunStatus.Running || !InFlight(run.State, message))
                {
                    attempt.Cancel(AttemptCancellation.Why.RunCancelled);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Duraflow.Durable;

/// <summary>
/// The <c>durable</c> runtime: a run is created in the project's run store, as on the <c>duraflow</c> runtime (same
/// ids, idempotency keys, listing and logs), and carried out by an orchestration of Durable Task. Each round of the run
/// is one orchestration instance (<see cref="DurableNames.InstanceId"/>): a retry of a failed run is recorded in the
/// store and starts the next one, which reuses the outputs of the blocks that succeeded. A cancel is an external event
/// to the round in progress.
/// </summary>
internal sealed class DurableRuntime(RunCommitter committer, DurableTaskClient client) : IRunRuntime
{
    /// <inheritdoc/>
    public async Task<StartedRun> StartAsync(NewRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        Decision decision;
        try
        {
            decision = await committer.CreateRunAsync(run, cancellationToken, DurableNames.Runtime).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException) when (run.IdempotencyKey is not null)
        {
            var existing = await committer.Store.FindRunByIdempotencyKeyAsync(run.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                throw;
            }

            var state = (await committer.Store.GetRunAsync(existing, cancellationToken).ConfigureAwait(false))?.State;
            return new StartedRun(existing, state?.Pipeline ?? run.Plan.Pipeline, Created: false, state?.Status ?? RunStatus.Pending);
        }

        await ScheduleAsync(run.RunId, run.Plan, decision.State, cancellationToken).ConfigureAwait(false);
        return new StartedRun(run.RunId, run.Plan.Pipeline, Created: true, decision.State.Status);
    }

    /// <inheritdoc/>
    public async Task<RunChange> SignalAsync(string runId, RunSignal signal, CancellationToken cancellationToken)
    {
        var (stored, plan) = await LoadAsync(runId, cancellationToken).ConfigureAwait(false);
        if (signal is SendSignal send)
        {
            return RunChange.Repeated(stored.State, send)
                ?? await SendAsync(runId, stored.State, plan, send.At(committer.Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }

        if (signal is not RetryFailedBlocks retry)
        {
            throw new ArgumentException($"the durable runtime has no signal {signal.GetType().Name}", nameof(signal));
        }

        if (retry.Refreshed is not null)
        {
            return new RunChange(stored.State.Status,
                "it runs on the durable runtime, whose retries keep the pinned definition; retry it without refresh, or start a new run on the changed files");
        }

        var decision = RunDecider.Decide(plan, stored.State, new RunRetryRequested(committer.Time.GetUtcNow()));
        if (!decision.Accepted)
        {
            return new RunChange(stored.State.Status, decision.Rejection);
        }

        // Recorded here, so the run reads as pending again at once (as on the other runtime); the next round's
        // orchestration starts from that state. Two retries at once: the second finds the run changed and is refused.
        try
        {
            await committer.RecordAsync(runId, stored.Version, decision.Events, new RunCommitExtras(), cancellationToken, redelivered: false)
                .ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            return new RunChange(stored.State.Status, "the run changed while it was being retried (another retry?); look at it again and retry if it still needs one");
        }

        await ScheduleAsync(runId, plan, decision.State, cancellationToken).ConfigureAwait(false);
        return new RunChange(decision.State.Status, null);
    }

    // Checked on the stored state, so a signal the run would refuse (a finished run, a key it has, data an approval
    // cannot read) is refused to the caller; the orchestration decides it again on its own state when it arrives.
    private async Task<RunChange> SendAsync(string runId, RunState state, RunPlan plan, SignalReceived signal, CancellationToken cancellationToken)
    {
        var decision = RunDecider.Decide(plan, state, signal);
        if (!decision.Accepted)
        {
            return new RunChange(state.Status, decision.Rejection);
        }

        // A round recorded as pending but not scheduled yet (a retry in progress, or one whose process died before it
        // scheduled) has no instance to take the event: it is scheduled first, so the signal is not raised to nothing.
        var instance = DurableNames.InstanceId(runId, state.Round);
        if (await client.GetInstanceAsync(instance, cancellationToken).ConfigureAwait(false) is null)
        {
            try
            {
                await ResumeAsync(runId, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Scheduled meanwhile by the retry itself is fine; anything else is the caller's failure.
                if (await client.GetInstanceAsync(instance, cancellationToken).ConfigureAwait(false) is null)
                {
                    throw;
                }
            }
        }

        var payload = JsonSerializer.Serialize<RunEvent>(signal, EngineJson.Options);
        await client.RaiseEventAsync(instance, DurableNames.SignalEvent, payload, cancellationToken).ConfigureAwait(false);
        return new RunChange(state.Status, null);
    }

    /// <inheritdoc/>
    public async Task<RunChange> CancelAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        var (stored, plan) = await LoadAsync(runId, cancellationToken).ConfigureAwait(false);
        var decision = RunDecider.Decide(plan, stored.State, new CancelRequested(committer.Time.GetUtcNow(), reason));
        if (!decision.Accepted)
        {
            return new RunChange(stored.State.Status, decision.Rejection);
        }

        await client.RaiseEventAsync(DurableNames.InstanceId(runId, stored.State.Round), DurableNames.CancelEvent, reason, cancellationToken).ConfigureAwait(false);
        return new RunChange(RunStatus.Cancelling, null);
    }

    /// <summary>
    /// Starts the orchestration of a run the store holds as pending with none of its own: one whose start (or retry)
    /// was committed by a process that died before it scheduled the orchestration. True when one was scheduled.
    /// </summary>
    public async Task<bool> ResumeAsync(string runId, CancellationToken cancellationToken)
    {
        var (stored, plan) = await LoadAsync(runId, cancellationToken).ConfigureAwait(false);
        var instance = DurableNames.InstanceId(runId, stored.State.Round);
        if (stored.State.Status != RunStatus.Pending || await client.GetInstanceAsync(instance, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        await ScheduleAsync(runId, plan, stored.State, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Purges the orchestration histories of run <paramref name="runId"/>, one instance per round up to
    /// <paramref name="round"/>, before the run leaves the store. An instance that is gone already is fine. Durable
    /// Task purges only instances that have ended; a round whose orchestration still runs (the run was recorded as
    /// ended, but its orchestration has not returned yet) throws, and the run stays until the next purge.
    /// </summary>
    /// <exception cref="InvalidOperationException">An instance of the run has not ended.</exception>
    public async Task PurgeHistoryAsync(string runId, int round, CancellationToken cancellationToken)
    {
        for (var i = 0; i <= round; i++)
        {
            var instance = DurableNames.InstanceId(runId, i);
            var metadata = await client.GetInstanceAsync(instance, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
            if (metadata is null)
            {
                continue;
            }

            if (!metadata.IsCompleted)
            {
                throw new InvalidOperationException($"its orchestration {instance} is still {metadata.RuntimeStatus.ToString().ToLowerInvariant()}");
            }

            await client.PurgeInstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(StoredRun Stored, RunPlan Plan)> LoadAsync(string runId, CancellationToken cancellationToken)
    {
        var stored = await committer.Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new RunNotFoundException(runId);
        return (stored, await committer.PlanAsync(stored.State.DefinitionHash, cancellationToken).ConfigureAwait(false));
    }

    // The orchestration of the run's current round, starting from its pending state.
    private Task<string> ScheduleAsync(string runId, RunPlan plan, RunState state, CancellationToken cancellationToken)
    {
        var input = new RunOrchestrationInput(runId, plan.ToJson(), RunOrchestration.WithoutParameters(state), RunOrchestrationInput.CurrentRevision);
        return client.ScheduleNewOrchestrationInstanceAsync(
            DurableNames.Orchestrator, input, new StartOrchestrationOptions(DurableNames.InstanceId(runId, state.Round)), cancellationToken);
    }
}

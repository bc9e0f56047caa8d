using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// The <c>duraflow</c> runtime: runs live in the engine's store (SQLite or Azure Storage), their work in its queues,
/// and any worker process on that store runs their blocks. Creating a run is one commit of its first decision, with
/// its plan and idempotency key; the store refuses a second run with the same key or id, and only then is the key
/// looked up, so a new run costs no read.
/// </summary>
internal sealed class DuraflowRuntime(RunCommitter committer) : IRunRuntime
{
    /// <inheritdoc/>
    public async Task<StartedRun> StartAsync(NewRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);

        // Twice at most: a key whose owner never appeared (a start that died between claiming the key and writing the
        // run) is released by the lookup, and the second attempt then takes it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var decision = await committer.CreateRunAsync(run, cancellationToken).ConfigureAwait(false);
                return new StartedRun(run.RunId, run.Plan.Pipeline, Created: true, decision.State.Status);
            }
            catch (ConcurrencyConflictException) when (run.IdempotencyKey is not null)
            {
                if (await ExistingAsync(run, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return existing;
                }

                if (attempt == 2)
                {
                    throw;
                }
            }
        }
    }

    /// <inheritdoc/>
    public async Task<RunChange> SignalAsync(string runId, RunSignal signal, CancellationToken cancellationToken) => signal switch
    {
        RetryFailedBlocks { Refreshed: { } pipeline } => Change(await committer.RetryAsync(runId, RunPlanner.Plan(pipeline), cancellationToken).ConfigureAwait(false)),
        RetryFailedBlocks => Change(await committer.RetryAsync(runId, cancellationToken).ConfigureAwait(false)),
        SendSignal send => await SendAsync(runId, send, cancellationToken).ConfigureAwait(false),
        _ => throw new ArgumentException($"the duraflow runtime has no signal {signal.GetType().Name}", nameof(signal)),
    };

    /// <inheritdoc/>
    public async Task<RunChange> CancelAsync(string runId, string reason, CancellationToken cancellationToken) =>
        Change(await committer.CancelAsync(runId, reason, cancellationToken).ConfigureAwait(false));

    private async Task<RunChange> SendAsync(string runId, SendSignal send, CancellationToken cancellationToken)
    {
        var decision = await committer.ApplyAsync(runId, send.At(committer.Time.GetUtcNow()), null, cancellationToken).ConfigureAwait(false);
        return decision.Accepted ? Change(decision) : RunChange.Repeated(decision.State, send) ?? Change(decision);
    }

    private static RunChange Change(Decision decision) => new(decision.State.Status, decision.Rejection);

    // The run the key made. Its status is read now; a run whose creation another process is still committing (its key
    // claimed, its state not yet written) reads as pending, which is what it is.
    private async Task<StartedRun?> ExistingAsync(NewRun run, CancellationToken cancellationToken)
    {
        var runId = await committer.Store.FindRunByIdempotencyKeyAsync(run.IdempotencyKey!, cancellationToken).ConfigureAwait(false);
        if (runId is null)
        {
            return null;
        }

        var state = (await committer.Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false))?.State;
        return new StartedRun(runId, state?.Pipeline ?? run.Plan.Pipeline, Created: false, state?.Status ?? RunStatus.Pending);
    }
}

using System.Diagnostics;
using Duraflow.Engine.Alerts;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Hosting;

/// <summary>
/// The alerts of commands that end: <c>duraflow run</c> and <c>duraflow worker --until-idle</c> work on for a while
/// after their runs end, so that the alerts those ends queued go out before the process does.
/// </summary>
internal sealed partial class DuraflowEngine
{
    /// <summary>How long a command that ends with its run waits for the run's alerts to go out.</summary>
    public static readonly TimeSpan AlertGrace = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan AlertPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Waits until every alert run <paramref name="runId"/> queued is delivered or given up on, at most
    /// <see cref="AlertGrace"/>; one still being retried then is left to the next worker. Sends them itself unless
    /// <paramref name="alertLoopRunning"/> (this process's workers run already, as on the <c>duraflow</c> runtime).
    /// </summary>
    public async Task SendAlertsOfAsync(string runId, bool alertLoopRunning, CancellationToken cancellationToken)
    {
        var expected = await AlertKeysOfAsync(runId, cancellationToken).ConfigureAwait(false);
        if (expected.Count == 0)
        {
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loop = alertLoopRunning ? Task.CompletedTask : Workers.RunAlertLoopAsync(stop.Token);
        try
        {
            // Wall-clock time: the grace is the user's wait, whatever clock the engine runs on.
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < AlertGrace)
            {
                var settled = (await Store.ListAlertsAsync(runId, cancellationToken).ConfigureAwait(false))
                    .Where(r => r.Status != AlertDeliveryStatus.Retrying).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
                if (expected.All(settled.Contains))
                {
                    return;
                }

                await Task.Delay(AlertPoll, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
        }
    }

    // The keys of every alert the run's commits queued: its events replayed, each through the outbox as its commit did.
    private async Task<IReadOnlyList<string>> AlertKeysOfAsync(string runId, CancellationToken cancellationToken)
    {
        var events = await Store.GetEventsAsync(runId, cancellationToken).ConfigureAwait(false);
        var state = new RunState();
        var keys = new List<string>();
        foreach (var e in events)
        {
            var hash = e switch
            {
                RunRequested requested => requested.DefinitionHash,
                RunRetryRequested { DefinitionHash: { } refreshed } => refreshed,
                _ => state.DefinitionHash,
            };
            var plan = await Committer.PlanAsync(hash, cancellationToken).ConfigureAwait(false);
            RunEvolver.Evolve(plan, state, e);
            keys.AddRange(AlertOutbox.For(runId, state, plan, [e], e.At).Select(item => item.Key));
        }

        return keys;
    }

    // worker --until-idle: the runs are over, but their last alerts may still be queued. On the SQLite store the queue
    // says when its next message is due (one being sent now shows as due at its lease's end); a shared Azure queue
    // knows only this process's timers, and other workers send what is left there.
    private async Task LetQueuedAlertsGoAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < AlertGrace
            && await Committer.Queues.NextVisibleAtAsync(WorkQueues.Alerts, cancellationToken).ConfigureAwait(false) is { } next
            && next <= Committer.Time.GetUtcNow() + Committer.Options.Lease)
        {
            await Task.Delay(AlertPoll, cancellationToken).ConfigureAwait(false);
        }
    }
}

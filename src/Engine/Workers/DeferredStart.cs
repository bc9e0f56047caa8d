using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;

namespace Duraflow.Engine.Workers;

/// <summary>
/// The start of a block attempt that was decided but not committed: it is committed on its own only if the attempt
/// is still running after <see cref="EngineOptions.RecordStartAfter"/>, so that users see long blocks as running;
/// otherwise it goes into the outcome's commit (<see cref="With"/>). If the run refuses the start (it was cancelled,
/// or the attempt is no longer in flight), the attempt is cancelled, as the lease keeper would.
/// </summary>
/// <remarks>Call <see cref="StopAsync"/> before committing the outcome: the two commits must never race.</remarks>
internal sealed class DeferredStart : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _recording;
    private volatile bool _recorded;

    /// <summary>Starts the timer on <see cref="RunCommitter.Time"/> at once, so it counts from the attempt's start.</summary>
    public DeferredStart(RunCommitter committer, string runId, BlockStarted start, AttemptCancellation attempt)
    {
        Event = start;
        _recording = RecordLaterAsync(committer, runId, attempt);
    }

    /// <summary>The start event, with the time the attempt really began.</summary>
    public BlockStarted Event { get; }

    /// <summary>The events to commit for <paramref name="outcome"/>: the start first, unless it is already committed.</summary>
    public IReadOnlyList<RunEvent> With(RunEvent outcome) => _recorded ? [outcome] : [Event, outcome];

    /// <summary>Cancels a start not yet being committed, and waits for one that is.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _recording.ConfigureAwait(false);
    }

    public void Dispose() => _stop.Dispose();

    private async Task RecordLaterAsync(RunCommitter committer, string runId, AttemptCancellation attempt)
    {
        // Timers take at most about 24 days; a longer setting waits that long instead. Stopped without an exception:
        // nearly every attempt ends before the delay, and a thrown cancellation per block is measurable.
        var after = TimeSpan.FromMilliseconds(Math.Min(committer.Options.RecordStartAfter.TotalMilliseconds, int.MaxValue));
        await Task.Delay(after, committer.Time, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        Decision decision;
        try
        {
            // Not cancellable: a commit cut off midway would leave unknown whether the start was recorded.
            decision = await committer.ApplyAsync(runId, Event, null, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Showing the block as running is a courtesy: the outcome's commit records the start instead
        // (should this one have reached the store after all, a second start of the same attempt is accepted and keeps the first time).
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        if (decision.Accepted)
        {
            _recorded = true;
        }
        else
        {
            attempt.Cancel(AttemptCancellation.Why.RunCancelled);
        }
    }
}

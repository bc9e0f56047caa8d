namespace Duraflow.Engine.Storage;

/// <summary>
/// A store that removes finished runs for good: the run, its events, blocks, logs, dead letters, leftover work,
/// listing and idempotency key, its block outputs and the cache entries that point at them. Checkpoints, schedule marks and pinned plans stay (see
/// docs/pipelines.md, retention). Which runs to remove is found through <see cref="IRunStore.ListRunsAsync"/>; the
/// store checks each again as it removes it, so a run that was retried or changed meanwhile stays.
/// </summary>
internal interface IRunPurge
{
    /// <summary>
    /// Removes those of <paramref name="runs"/> that are still succeeded, failed or cancelled and ended before
    /// <paramref name="endedBefore"/>; returns the ids of the runs removed. A run that recorded a runtime of its own
    /// (<see cref="Runs.RunState.Runtime"/>) is removed only after <paramref name="purgeHistory"/> said true for it.
    /// Removing a run that is already gone, or half gone after a crash, finishes the job and counts it.
    /// </summary>
    /// <param name="runs">Runs as a listing showed them; the listing's status may lag, the store's own is checked.</param>
    /// <param name="endedBefore">Only runs that ended before this moment.</param>
    /// <param name="purgeHistory">Purges the history a runtime keeps of the run outside the store; false keeps the run.</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    Task<IReadOnlyList<string>> PurgeRunsAsync(
        IReadOnlyList<RunSummary> runs, DateTimeOffset endedBefore, Func<ExternalHistory, CancellationToken, Task<bool>> purgeHistory, CancellationToken cancellationToken);

    /// <summary>
    /// True when this process may do the periodic purge now, false while another process does it: one process at a
    /// time on a shared store. Call again before each batch of a long round; it keeps the turn while it is called.
    /// </summary>
    Task<bool> TryTakePurgeTurnAsync(CancellationToken cancellationToken);
}

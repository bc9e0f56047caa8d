using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Removes finished runs older than an age from the store, for <c>duraflow runs purge</c>, the API's purge, and the
/// <c>retention:</c> setting, which long-running hosts apply in <see cref="RunAsync"/>: at start, then hourly (with the
/// audit log's entries past <c>retention.audit</c>). Runs
/// are found through the listing (<see cref="IRunStore.ListRunsAsync"/>, from the cutoff back) and removed in
/// batches by the store (<see cref="IRunPurge"/>), which checks each again.
/// </summary>
/// <remarks>
/// A run that ran on another runtime (Durable Task) has a history there. It is purged first, through
/// <see cref="PurgeHistory"/>, which the host that reaches that runtime sets; without it, or when it fails, the run
/// stays, to be purged with its history later, so no history is left behind without its run.
/// </remarks>
internal sealed class RunRetention
{
    /// <summary>How often the retention setting is applied.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>The most runs one round of the setting removes, so a first round over a large store does not hold the store for long.</summary>
    public const int MaxPerRound = 10_000;

    // Runs listed, checked and removed together: one SQLite transaction, or one listing page on Azure.
    private const int Batch = 100;

    // After a round that stopped at its limit, the next comes this soon instead of after the interval.
    private static readonly TimeSpan Catchup = TimeSpan.FromMinutes(1);

    private readonly IRunStore _store;
    private readonly IRunPurge _purge;
    private readonly TimeProvider _time;

    /// <summary>Purges runs of <paramref name="store"/> through <paramref name="purge"/> (the same store).</summary>
    /// <param name="store">The store, for finding runs.</param>
    /// <param name="purge">The store, for removing them.</param>
    /// <param name="keep">How long finished runs are kept when the setting applies (duraflow.yaml's <c>retention.runs</c>); null keeps them.</param>
    /// <param name="time">The clock.</param>
    /// <param name="keepAudit">How long audit entries are kept (<c>retention.audit</c>); null keeps them.</param>
    public RunRetention(IRunStore store, IRunPurge purge, TimeSpan? keep, TimeProvider? time = null, TimeSpan? keepAudit = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(purge);
        _store = store;
        _purge = purge;
        Keep = keep;
        KeepAudit = keepAudit;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long audit entries are kept by <see cref="RunAsync"/>; null when they are kept for ever (or the store keeps none).</summary>
    public TimeSpan? KeepAudit { get; }

    /// <summary>How long finished runs are kept by <see cref="RunAsync"/>; null when the project keeps them for ever.</summary>
    public TimeSpan? Keep { get; }

    /// <summary>
    /// Purges the history a runtime other than the engine's keeps of a run (Durable Task's), or throws saying why it
    /// cannot; set by the host that reaches the runtime (the run router). Null: such runs are kept.
    /// </summary>
    public Func<ExternalHistory, CancellationToken, Task>? PurgeHistory { get; set; }

    /// <summary>Raised after each round of <see cref="RunAsync"/> that purged or kept something.</summary>
    public event EventHandler<RunPurgeResult>? Purged;

    /// <summary>Raised when a round of <see cref="RunAsync"/> failed (the store could not be reached, say); the next round tries again.</summary>
    public event EventHandler<Exception>? Failed;

    /// <summary>
    /// Removes up to <paramref name="maxRuns"/> runs of <paramref name="pipeline"/> (or of every pipeline) that ended
    /// before <paramref name="endedBefore"/>, a batch at a time.
    /// </summary>
    public async Task<RunPurgeResult> PurgeAsync(DateTimeOffset endedBefore, string? pipeline, int maxRuns, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRuns, 1);
        var purged = 0;
        var kept = 0;
        string? keptBecause = null;
        async Task<bool> HistoryAsync(ExternalHistory history, CancellationToken token)
        {
            if (PurgeHistory is not { } purge)
            {
                keptBecause = $"run {history.RunId} ran on the {history.Runtime} runtime, whose history this process cannot reach; purge from a host that runs it";
                return false;
            }

            try
            {
                await purge(history, token).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                keptBecause = $"the {history.Runtime} history of run {history.RunId} could not be purged: {e.Message}";
                return false;
            }
        }

        RunCursor? after = null;
        while (purged < maxRuns)
        {
            var (candidates, next) = await FindAsync(endedBefore, pipeline, after, Math.Min(Batch, maxRuns - purged), cancellationToken).ConfigureAwait(false);
            if (candidates.Count > 0)
            {
                var removed = await _purge.PurgeRunsAsync(candidates, endedBefore, HistoryAsync, cancellationToken).ConfigureAwait(false);
                purged += removed.Count;
                kept += candidates.Count - removed.Count;
            }

            if (next is null)
            {
                return new RunPurgeResult(endedBefore, purged, kept, More: false, keptBecause);
            }

            after = next;
        }

        return new RunPurgeResult(endedBefore, purged, kept, More: true, keptBecause);
    }

    /// <summary>How many runs <see cref="PurgeAsync"/> would remove now (for a dry run): finished, of the pipeline, ended before the cutoff.</summary>
    public async Task<int> CountAsync(DateTimeOffset endedBefore, string? pipeline, CancellationToken cancellationToken)
    {
        var count = 0;
        RunCursor? after = null;
        do
        {
            var (candidates, next) = await FindAsync(endedBefore, pipeline, after, 1000, cancellationToken).ConfigureAwait(false);
            count += candidates.Count;
            after = next;
        }
        while (after is not null);

        return count;
    }

    /// <summary>
    /// Applies <see cref="Keep"/> until <paramref name="stopping"/> fires: a round at once, then every
    /// <see cref="Interval"/>, each removing up to <see cref="MaxPerRound"/> runs, in one process at a time on a shared
    /// store. Returns at once when the project keeps its runs.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        if (Keep is null && KeepAudit is null)
        {
            return;
        }

        while (!stopping.IsCancellationRequested)
        {
            var wait = Interval;
            try
            {
                if (await _purge.TryTakePurgeTurnAsync(stopping).ConfigureAwait(false))
                {
                    var more = false;
                    if (Keep is { } keep)
                    {
                        var result = await PurgeAsync(PurgeAge.Cutoff(_time.GetUtcNow(), keep), null, MaxPerRound, stopping).ConfigureAwait(false);
                        if (result.Purged > 0 || result.Kept > 0)
                        {
                            Purged?.Invoke(this, result);
                        }

                        more = result.More;
                    }

                    if (KeepAudit is { } keepAudit && _store is IAuditLog audit)
                    {
                        more |= await audit.PurgeAuditAsync(_time.GetUtcNow() - keepAudit, MaxPerRound, stopping).ConfigureAwait(false) == MaxPerRound;
                    }

                    wait = more ? Catchup : Interval;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // A side duty: whatever stopped this round (a store out of reach, a file in use) must not stop the
                // workers beside it. The host logs it with its exception, and the next round tries again.
                Failed?.Invoke(this, e);
            }

            try
            {
                await Task.Delay(wait, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One page of the listing from <paramref name="after"/> (or from the cutoff: every run requested before it, which
    /// includes every run that ended before it) and the finished runs in it; the cursor of the next page, or null at the end.
    /// </summary>
    private async Task<(List<RunSummary> Candidates, RunCursor? Next)> FindAsync(
        DateTimeOffset endedBefore, string? pipeline, RunCursor? after, int limit, CancellationToken cancellationToken)
    {
        var page = await _store.ListRunsAsync(new RunQuery(pipeline, null, limit, after ?? new RunCursor(endedBefore, "")), cancellationToken).ConfigureAwait(false);
        var candidates = page.Where(r => r.Status.IsTerminal() && r.EndedAt < endedBefore).ToList();
        return (candidates, page.Count < limit ? null : RunCursor.After(page[^1]));
    }
}

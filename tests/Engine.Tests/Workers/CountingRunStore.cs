using System.Collections.Concurrent;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>
/// A run store that counts the round trips the engine makes (what Azure Storage bills as transactions): snapshot
/// reads, commits and commits refused for a stale version. Everything is passed on to the real store.
/// </summary>
internal sealed class CountingRunStore(IRunStore inner) : IRunStore
{
    private int _reads;
    private int _conflicts;
    private int _keyLookups;

    /// <summary>Snapshot reads (<see cref="IRunStore.GetRunAsync"/>).</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Commits refused because the run had moved on (the decision was made on an old snapshot).</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>Idempotency key lookups (<see cref="IRunStore.FindRunByIdempotencyKeyAsync"/>).</summary>
    public int KeyLookups => Volatile.Read(ref _keyLookups);

    /// <summary>The events of each successful commit, in commit order.</summary>
    public ConcurrentQueue<IReadOnlyList<RunEvent>> Commits { get; } = new();

    /// <summary>Forgets what was counted so far.</summary>
    public void Reset()
    {
        Volatile.Write(ref _reads, 0);
        Volatile.Write(ref _conflicts, 0);
        Volatile.Write(ref _keyLookups, 0);
        Commits.Clear();
    }

    public async Task CommitAsync(RunCommit commit, CancellationToken cancellationToken)
    {
        try
        {
            await inner.CommitAsync(commit, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            Interlocked.Increment(ref _conflicts);
            throw;
        }

        Commits.Enqueue(commit.Events);
    }

    public Task<StoredRun?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.GetRunAsync(runId, cancellationToken);
    }

    public Task<RunPlan> GetPlanAsync(string hash, CancellationToken cancellationToken) => inner.GetPlanAsync(hash, cancellationToken);

    public Task<IReadOnlyList<RunEvent>> GetEventsAsync(string runId, CancellationToken cancellationToken) => inner.GetEventsAsync(runId, cancellationToken);

    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => inner.ListRunsAsync(query, cancellationToken);

    public Task<string?> FindRunByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _keyLookups);
        return inner.FindRunByIdempotencyKeyAsync(idempotencyKey, cancellationToken);
    }

    public Task<int> CountActiveRunsAsync(string pipeline, CancellationToken cancellationToken) => inner.CountActiveRunsAsync(pipeline, cancellationToken);

    public Task<int> CountUnfinishedRunsAsync(CancellationToken cancellationToken) => inner.CountUnfinishedRunsAsync(cancellationToken);

    public Task<IReadOnlyList<LogLine>> GetLogsAsync(string runId, string? block, CancellationToken cancellationToken) =>
        inner.GetLogsAsync(runId, block, cancellationToken);

    public Task<JsonElement?> GetCheckpointAsync(string pipeline, string name, CancellationToken cancellationToken) =>
        inner.GetCheckpointAsync(pipeline, name, cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string runId, CancellationToken cancellationToken) =>
        inner.GetDeadLettersAsync(runId, cancellationToken);

    public Task RecordAlertAsync(string runId, AlertRecord record, CancellationToken cancellationToken) => inner.RecordAlertAsync(runId, record, cancellationToken);

    public Task<AlertRecord?> GetAlertAsync(string runId, string key, CancellationToken cancellationToken) => inner.GetAlertAsync(runId, key, cancellationToken);

    public Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(string runId, CancellationToken cancellationToken) => inner.ListAlertsAsync(runId, cancellationToken);

    public Task<CacheEntry?> GetCacheEntryAsync(string pipeline, string block, string key, CancellationToken cancellationToken) =>
        inner.GetCacheEntryAsync(pipeline, block, key, cancellationToken);

    public Task PutCacheEntryAsync(CacheEntry entry, CancellationToken cancellationToken) => inner.PutCacheEntryAsync(entry, cancellationToken);

    public Task<IReadOnlyList<CacheEntry>> ListCacheEntriesAsync(string? pipeline, string? block, CancellationToken cancellationToken) =>
        inner.ListCacheEntriesAsync(pipeline, block, cancellationToken);

    public Task<int> DeleteCacheEntriesAsync(string? pipeline, string? block, CancellationToken cancellationToken) =>
        inner.DeleteCacheEntriesAsync(pipeline, block, cancellationToken);

    public Task AddBackfillAsync(Backfill backfill, CancellationToken cancellationToken) => inner.AddBackfillAsync(backfill, cancellationToken);

    public Task<StoredBackfill?> GetBackfillAsync(string id, CancellationToken cancellationToken) => inner.GetBackfillAsync(id, cancellationToken);

    public Task<IReadOnlyList<StoredBackfill>> ListBackfillsAsync(string? pipeline, bool runningOnly, CancellationToken cancellationToken) =>
        inner.ListBackfillsAsync(pipeline, runningOnly, cancellationToken);

    public Task<bool> TryUpdateBackfillAsync(Backfill backfill, string version, CancellationToken cancellationToken) =>
        inner.TryUpdateBackfillAsync(backfill, version, cancellationToken);

    public Task<IReadOnlyList<CheckpointValue>> ListCheckpointsAsync(string pipeline, CancellationToken cancellationToken) => inner.ListCheckpointsAsync(pipeline, cancellationToken);

    public Task SetCheckpointAsync(string pipeline, string name, System.Text.Json.JsonElement value, CancellationToken cancellationToken) =>
        inner.SetCheckpointAsync(pipeline, name, value, cancellationToken);

    public Task<int> DeleteCheckpointsAsync(string pipeline, string? name, CancellationToken cancellationToken) => inner.DeleteCheckpointsAsync(pipeline, name, cancellationToken);
}

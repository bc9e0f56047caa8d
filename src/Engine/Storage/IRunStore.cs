using System.Text.Json;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage;

/// <summary>
/// Durable run state: append-only events with a snapshot, committed with optimistic concurrency together with the
/// run's outgoing work (see <see cref="RunCommit"/>), the deliveries of runs' alerts beside them, and the block outputs
/// runs share through the cache, and backfills. Implementations: SQLite (embedded) and Azure Storage.
/// </summary>
internal interface IRunStore : IAlertRecords, ICacheEntries, IBackfills, ICheckpoints
{
    /// <summary>Commits atomically, or throws <see cref="ConcurrencyConflictException"/> / <see cref="LeaseLostException"/> and changes nothing.</summary>
    Task CommitAsync(RunCommit commit, CancellationToken cancellationToken);

    /// <summary>The run's snapshot and version, or null when there is no such run.</summary>
    Task<StoredRun?> GetRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The plan stored under <paramref name="hash"/>.</summary>
    Task<RunPlan> GetPlanAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Every event of the run, in order.</summary>
    Task<IReadOnlyList<RunEvent>> GetEventsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Runs, newest first.</summary>
    Task<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>The id of the run created with <paramref name="idempotencyKey"/>, or null.</summary>
    Task<string?> FindRunByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>How many runs of <paramref name="pipeline"/> hold a concurrency slot (running or cancelling).</summary>
    Task<int> CountActiveRunsAsync(string pipeline, CancellationToken cancellationToken);

    /// <summary>How many runs have not ended (pending, running or cancelling).</summary>
    Task<int> CountUnfinishedRunsAsync(CancellationToken cancellationToken);

    /// <summary>The run's log lines, oldest first, optionally of one block (its items included).</summary>
    Task<IReadOnlyList<LogLine>> GetLogsAsync(string runId, string? block, CancellationToken cancellationToken);

    /// <summary>The stored value of a pipeline's checkpoint, or null.</summary>
    Task<JsonElement?> GetCheckpointAsync(string pipeline, string name, CancellationToken cancellationToken);

    /// <summary>The run's dead-lettered messages.</summary>
    Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string runId, CancellationToken cancellationToken);
}

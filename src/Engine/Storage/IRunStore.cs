using System.Text.Json;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage;

/// <summary>
/// Durable run state: append-only events with a snapshot, committed with optimistic concurrency together with the
/// run's outgoing work (see <see cref="RunCommit"/>). Implementations: SQLite (embedded) and Azure Storage.
/// </summary>
internal interface IRunStore
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

/// <summary>
/// Work queues with leases: a dequeued message is invisible until its lease ends, then it is delivered again.
/// Messages are added only through <see cref="IRunStore.CommitAsync"/>, so work never exists without the state that
/// explains it.
/// </summary>
internal interface IWorkQueues
{
    /// <summary>Leases up to <paramref name="max"/> visible messages of <paramref name="queue"/>, oldest first.</summary>
    Task<IReadOnlyList<LeasedWork>> DequeueAsync(string queue, int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends a lease; false when it was lost.</summary>
    Task<bool> RenewAsync(LeasedWork work, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Gives a message back, visible after <paramref name="delay"/>, without counting the delivery.</summary>
    Task ReleaseAsync(LeasedWork work, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Deletes a message whose work needs no commit (a stale duplicate).</summary>
    Task CompleteAsync(LeasedWork work, CancellationToken cancellationToken);

    /// <summary>
    /// When the next message of <paramref name="queue"/> becomes visible, or null when none is known to be waiting.
    /// The SQLite store knows every message; a shared queue (Azure) knows the timers this process set, and workers
    /// find the others by polling.
    /// </summary>
    Task<DateTimeOffset?> NextVisibleAtAsync(string queue, CancellationToken cancellationToken);
}

/// <summary>Block outputs, stored as named blobs.</summary>
internal interface IArtifactStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/> durably before returning.</summary>
    Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Reads the content under <paramref name="key"/>; throws <see cref="FileNotFoundException"/> when missing.</summary>
    Task<byte[]> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>True when something is stored under <paramref name="key"/>.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores the finished local file <paramref name="localPath"/> under <paramref name="key"/> durably, taking it over.</summary>
    Task WriteFileAsync(string key, string localPath, CancellationToken cancellationToken);

    /// <summary>A local file holding the content under <paramref name="key"/>, for engines that read files (DuckDB).</summary>
    Task<string> GetLocalPathAsync(string key, CancellationToken cancellationToken);

    /// <summary>Where block attempts write files before they are stored; each attempt gets its own folder inside.</summary>
    string ScratchDirectory { get; }
}

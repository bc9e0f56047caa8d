using System.Text.Json;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage;

/// <summary>A run's snapshot and the version it was read at (the number of its events).</summary>
/// <param name="State">The snapshot.</param>
/// <param name="Version">Pass this back as the expected version when committing.</param>
internal sealed record StoredRun(RunState State, long Version);

/// <summary>A message to put on a work queue, committed together with the events that caused it (an outbox).</summary>
/// <param name="Queue">One of <see cref="WorkQueues"/>.</param>
/// <param name="RunId">The run it belongs to.</param>
/// <param name="Key">
/// Its idempotency key. Within one commit a key is sent once; across commits a store may deliver a key twice (the
/// SQLite store does not, the Azure store may after a crash), so receivers check every message against the run's state.
/// </param>
/// <param name="Body">The message body, JSON.</param>
/// <param name="VisibleAt">When it may be dequeued; later than now for durable timers.</param>
internal sealed record WorkItem(string Queue, string RunId, string Key, string Body, DateTimeOffset VisibleAt);

/// <summary>A dequeued message, invisible to other workers until its lease ends.</summary>
/// <param name="Id">The store's id for it.</param>
/// <param name="Queue">The queue it came from.</param>
/// <param name="RunId">The run it belongs to.</param>
/// <param name="Key">Its idempotency key.</param>
/// <param name="Body">The body.</param>
/// <param name="Deliveries">How many times it has been dequeued, this time included.</param>
/// <param name="LeaseToken">Proves this worker still holds it when completing, renewing or releasing it.</param>
internal sealed record LeasedWork(string Id, string Queue, string RunId, string Key, string Body, int Deliveries, string LeaseToken);

/// <summary>The queue names.</summary>
internal static class WorkQueues
{
    /// <summary>Run starts, timers and other messages the run's decider consumes.</summary>
    public const string Orchestration = "orchestration";

    /// <summary>Block attempts for the execution pool.</summary>
    public const string Blocks = "blocks";
}

/// <summary>One line of a block's log.</summary>
/// <param name="At">When it was written.</param>
/// <param name="Block">The block or item key.</param>
/// <param name="Attempt">The attempt that wrote it.</param>
/// <param name="Level">trace, debug, information, warning, error or critical.</param>
/// <param name="Message">The rendered message.</param>
internal sealed record LogLine(DateTimeOffset At, string Block, int Attempt, string Level, string Message);

/// <summary>A message that was delivered too often without completing, kept for inspection.</summary>
/// <param name="Queue">The queue it came from.</param>
/// <param name="Key">Its idempotency key.</param>
/// <param name="Deliveries">How often it was delivered.</param>
/// <param name="Reason">Why it was dead-lettered.</param>
/// <param name="At">When.</param>
internal sealed record DeadLetter(string Queue, string Key, int Deliveries, string Reason, DateTimeOffset At);

/// <summary>
/// Everything one decision changes, committed atomically: the new events, the new snapshot, outgoing work, the
/// consumed message (deleted, or dead-lettered), block logs and checkpoint values.
/// </summary>
internal sealed record RunCommit
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The version the decision was made on; 0 creates the run. A different stored version fails the commit.</summary>
    public required long ExpectedVersion { get; init; }

    /// <summary>The events to append.</summary>
    public required IReadOnlyList<RunEvent> Events { get; init; }

    /// <summary>The snapshot after the events.</summary>
    public required RunState State { get; init; }

    /// <summary>
    /// The blocks of <see cref="State"/> that differ from the snapshot at <see cref="ExpectedVersion"/>, so a store can
    /// write only those; null when unknown, and the store writes every block.
    /// </summary>
    public BlockChanges? BlockChanges { get; init; }

    /// <summary>When creating a run: its plan (stored once per hash).</summary>
    public RunPlan? Plan { get; init; }

    /// <summary>When creating a run: a key that makes a second request return the first run.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Messages to enqueue.</summary>
    public IReadOnlyList<WorkItem> Outgoing { get; init; } = [];

    /// <summary>The message this decision consumed; it is removed in the same transaction. Null when none.</summary>
    public LeasedWork? Consumed { get; init; }

    /// <summary>
    /// Further messages the commit consumes, deleted like <see cref="Consumed"/> (never dead-lettered): the messages of
    /// reports decided together in one commit.
    /// </summary>
    public IReadOnlyList<LeasedWork> AlsoConsumed { get; init; } = [];

    /// <summary>When set, the consumed message is moved to the dead letters with this reason instead of deleted.</summary>
    public string? DeadLetterReason { get; init; }

    /// <summary>Block log lines to store.</summary>
    public IReadOnlyList<LogLine> Logs { get; init; } = [];

    /// <summary>
    /// When set, the commit fails with <see cref="ConcurrencyLimitReachedException"/> if this many other runs of the
    /// pipeline are running or cancelling; checked inside the transaction so two starts cannot both take the last slot.
    /// </summary>
    public int? ConcurrencyLimit { get; init; }

    /// <summary>Checkpoint values to store for the run's pipeline.</summary>
    public IReadOnlyDictionary<string, JsonElement> Checkpoints { get; init; } = new Dictionary<string, JsonElement>();
}

/// <summary>A row of a run listing.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Pipeline">Its pipeline.</param>
/// <param name="Status">Its status.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="RequestedAt">When it was requested.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndedAt">When it ended.</param>
internal sealed record RunSummary(
    string RunId, string Pipeline, RunStatus Status, string Trigger, DateTimeOffset RequestedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);

/// <summary>Filters for listing runs, newest first.</summary>
/// <param name="Pipeline">Only this pipeline, or all.</param>
/// <param name="Status">Only this status, or all.</param>
/// <param name="Limit">At most this many.</param>
/// <param name="After">
/// Only runs listed after this one: the last row of the previous page. Keyset paging rather than an offset, so runs
/// started meanwhile do not shift the pages.
/// </param>
internal sealed record RunQuery(string? Pipeline = null, RunStatus? Status = null, int Limit = 20, RunCursor? After = null);

/// <summary>
/// A position in a run listing: the listing's sort key (requested time, then run id). Runs requested at the same
/// moment come in an order each store fixes; paging with the cursor visits each of them once.
/// </summary>
/// <param name="RequestedAt">The <see cref="RunSummary.RequestedAt"/> of the last run seen.</param>
/// <param name="RunId">Its id.</param>
internal sealed record RunCursor(DateTimeOffset RequestedAt, string RunId)
{
    /// <summary>The cursor after <paramref name="run"/>.</summary>
    public static RunCursor After(RunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunCursor(run.RequestedAt, run.RunId);
    }
}

/// <summary>The stored version is not the one the decision was made on: someone else committed first. Reload and decide again.</summary>
internal sealed class ConcurrencyConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException()
        : base("the run changed since it was read")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The consumed message's lease ended and another worker owns it now; this worker's result is discarded.</summary>
internal sealed class LeaseLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LeaseLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LeaseLostException()
        : base("the lease on the message was lost")
    {
    }

    /// <summary>Creates the exception.</summary>
    public LeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The pipeline's <c>concurrency</c> limit is reached; the run stays pending.</summary>
internal sealed class ConcurrencyLimitReachedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyLimitReachedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyLimitReachedException()
        : base("the pipeline's concurrency limit is reached")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyLimitReachedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

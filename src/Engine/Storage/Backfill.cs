using System.Text.Json;

namespace Duraflow.Engine.Storage;

/// <summary>How a backfill stands.</summary>
internal enum BackfillStatus
{
    /// <summary>Starting its runs as slots free up.</summary>
    Running,

    /// <summary>Every tick's run has ended.</summary>
    Finished,

    /// <summary>Cancelled: it starts no more runs, and the runs it had going were cancelled.</summary>
    Cancelled,
}

/// <summary>
/// One backfill: a run per tick of one of a pipeline's schedules in [<see cref="From"/>, <see cref="To"/>), started at
/// most <see cref="Concurrency"/> at a time with the run ids the scheduler gives those ticks. The ticks are recomputed
/// from the schedule kept here (<see cref="Cron"/> or <see cref="Every"/> and <see cref="Anchor"/>, in
/// <see cref="TimeZone"/>), so the record stays small however many there are; <see cref="Started"/> counts those
/// whose runs were started, and <see cref="Done"/> those, from the first, whose runs ended.
/// </summary>
internal sealed record Backfill
{
    public required string Id { get; init; }

    public required string Pipeline { get; init; }

    /// <summary>The schedule's position among the pipeline's schedule triggers, from 1.</summary>
    public required int Schedule { get; init; }

    public string? Cron { get; init; }

    public TimeSpan? Every { get; init; }

    public string? Anchor { get; init; }

    public required string TimeZone { get; init; }

    /// <summary>The first moment covered (included), in UTC.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>The end (excluded), in UTC.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The parameters given (not the defaults), as JSON values; a run's id includes their hash when there are any.</summary>
    public IReadOnlyDictionary<string, JsonElement> Parameters { get; init; } = new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>Which of <see cref="Parameters"/> the pipeline declares secret: shown as <c>***</c> wherever the backfill is shown.</summary>
    public IReadOnlyList<string> SecretParameters { get; init; } = [];

    /// <summary>How many of its runs may be going at once: the lower of the one asked for and the pipeline's; null for no bound.</summary>
    public int? Concurrency { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who asked: <c>cli:USER</c>, the API caller's identity.</summary>
    public required string CreatedBy { get; init; }

    public BackfillStatus Status { get; init; }

    /// <summary>How many ticks it covers.</summary>
    public required int Total { get; init; }

    /// <summary>How many ticks, oldest first, had their runs started (or found started by the scheduler or an earlier backfill).</summary>
    public int Started { get; init; }

    /// <summary>How many ticks, oldest first, have runs that ended; the tallies count them.</summary>
    public int Done { get; init; }

    public int Succeeded { get; init; }

    public int Failed { get; init; }

    public int CancelledRuns { get; init; }

    /// <summary>Ticks whose run existed already when the backfill came to them (the scheduler's, or an earlier backfill's).</summary>
    public int Existing { get; init; }

    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>A backfill as stored, with the version a change must name.</summary>
internal sealed record StoredBackfill(Backfill Backfill, string Version);

/// <summary>Backfills, kept in the run store so that every process of a project drives and lists the same ones.</summary>
internal interface IBackfills
{
    /// <summary>Adds a new backfill.</summary>
    Task AddBackfillAsync(Backfill backfill, CancellationToken cancellationToken);

    /// <summary>The backfill <paramref name="id"/>, or null.</summary>
    Task<StoredBackfill?> GetBackfillAsync(string id, CancellationToken cancellationToken);

    /// <summary>Backfills, newest first, of one pipeline when given; only running ones when <paramref name="runningOnly"/>.</summary>
    Task<IReadOnlyList<StoredBackfill>> ListBackfillsAsync(string? pipeline, bool runningOnly, CancellationToken cancellationToken);

    /// <summary>Replaces the backfill if it is still at <paramref name="version"/>; false when another process changed it first.</summary>
    Task<bool> TryUpdateBackfillAsync(Backfill backfill, string version, CancellationToken cancellationToken);
}

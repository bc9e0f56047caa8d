namespace Duraflow.Engine.Storage;

/// <summary>
/// Where each schedule's mark is kept (see <see cref="ScheduleMark"/>), per pipeline and schedule, with optimistic
/// concurrency so that two processes checking schedules at once never move a mark backwards.
/// </summary>
internal interface IScheduleMarks
{
    /// <summary>The mark of <paramref name="schedule"/> of <paramref name="pipeline"/>, or null when the schedule was never seen.</summary>
    Task<ScheduleMark?> GetScheduleMarkAsync(string pipeline, string schedule, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the mark if the stored one still has <paramref name="expectedVersion"/> (null: if there is none yet).
    /// False, and nothing written, when another writer got there first.
    /// </summary>
    Task<bool> TrySetScheduleMarkAsync(
        string pipeline, string schedule, DateTimeOffset handledThrough, DateTimeOffset? nextTick, string? expectedVersion, CancellationToken cancellationToken);
}

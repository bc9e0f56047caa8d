namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>What one check of a schedule decided.</summary>
/// <param name="Due">The ticks to start runs for, oldest first, in UTC.</param>
/// <param name="HandledThrough">The new mark: every tick at or before it has been decided (started or skipped).</param>
/// <param name="SkippedFirst">The oldest missed tick dropped by the catch-up policy, or null when none was dropped.</param>
/// <param name="SkippedLast">The newest missed tick dropped by the catch-up policy, or null when none was dropped.</param>
/// <param name="Next">The first tick after <paramref name="HandledThrough"/>, or null when the cron never fires again.</param>
internal sealed record ScheduleEvaluation(
    IReadOnlyList<DateTimeOffset> Due, DateTimeOffset HandledThrough, DateTimeOffset? SkippedFirst, DateTimeOffset? SkippedLast, DateTimeOffset? Next);

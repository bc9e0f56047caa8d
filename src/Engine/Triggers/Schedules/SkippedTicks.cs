namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>Missed ticks of a schedule that its catch-up policy dropped.</summary>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Schedule">The schedule, as <see cref="ScheduledRuns.ScheduleKey"/> names it.</param>
/// <param name="First">The oldest dropped tick, in UTC.</param>
/// <param name="Last">The newest dropped tick, in UTC.</param>
internal sealed record SkippedTicks(string Pipeline, string Schedule, DateTimeOffset First, DateTimeOffset Last);

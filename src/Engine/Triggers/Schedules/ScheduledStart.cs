namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>A run a schedule check started (or found already started, when the tick was handled before).</summary>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Schedule">The schedule, as <see cref="ScheduledRuns.ScheduleKey"/> names it.</param>
/// <param name="ScheduledTime">The tick, in UTC.</param>
/// <param name="RunId">The run's id.</param>
internal sealed record ScheduledStart(string Pipeline, string Schedule, DateTimeOffset ScheduledTime, string RunId);

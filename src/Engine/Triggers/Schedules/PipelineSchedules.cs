using Duraflow.Engine.Definitions;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>A pipeline's schedules as <c>duraflow schedules list</c> and <c>GET /api/schedules</c> show them.</summary>
/// <param name="Pipeline">The pipeline.</param>
/// <param name="Schedules">Each of its schedules (triggers with the same cron or interval and zone are one).</param>
/// <param name="Paused">Its pause, when its schedules are paused.</param>
internal sealed record PipelineSchedules(string Pipeline, IReadOnlyList<ScheduleView> Schedules, SchedulePause? Paused);

/// <summary>One schedule of a pipeline.</summary>
/// <param name="Trigger">Its trigger: its cron or interval, and its words (<see cref="ScheduleWords"/>).</param>
/// <param name="TimeZone">The zone the schedule is read in (the project's when the trigger names none).</param>
/// <param name="CatchUp">What happens to ticks missed while nothing ran, or while paused.</param>
/// <param name="HandledThrough">Its mark: every tick up to it started or was dropped; null before the first check saw it.</param>
/// <param name="Next">Its next ticks (up to five) from now, in UTC; they start only if it is not paused then.</param>
internal sealed record ScheduleView(ScheduleTrigger Trigger, string TimeZone, CatchUpPolicy CatchUp, DateTimeOffset? HandledThrough, IReadOnlyList<DateTimeOffset> Next);

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>What one check of every schedule did, for logging.</summary>
/// <param name="At">The time the check evaluated schedules at.</param>
/// <param name="Started">The runs started, per schedule oldest first.</param>
/// <param name="Skipped">Missed ticks dropped by catch-up policies.</param>
/// <param name="Problems">Pipelines or schedules that could not be handled.</param>
/// <param name="Paused">Pipelines with schedules that were not checked because they are paused.</param>
internal sealed record ScheduleTickReport(
    DateTimeOffset At, IReadOnlyList<ScheduledStart> Started, IReadOnlyList<SkippedTicks> Skipped, IReadOnlyList<ScheduleProblem> Problems,
    IReadOnlyList<string> Paused);

namespace Duraflow.Engine.Definitions;

/// <summary>A schedule in plain English: a cron's words (<see cref="CronWords"/>), or an interval's grid.</summary>
internal static class ScheduleWords
{
    /// <summary>The words for <paramref name="trigger"/>, or null for a cron <see cref="CronWords"/> has none for.</summary>
    public static string? Describe(ScheduleTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return trigger.Interval is { } interval
            ? $"Every {Blocks.Text.Duration.Format(interval.Every)} of elapsed time, counted from {interval.Anchor.Replace('T', ' ')}"
            : CronWords.Describe(trigger.Cron!);
    }
}

using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>
/// The ticks of one schedule, in UTC: a cron's occurrences in its zone (<see cref="CronTicks"/>) or an interval's
/// grid (<see cref="IntervalTicks"/>). What <see cref="ScheduleEvaluator"/> and backfills walk.
/// </summary>
internal abstract class ScheduleTicks
{
    /// <summary>The ticks from <paramref name="from"/> (included when <paramref name="fromInclusive"/>) to <paramref name="to"/> (included), oldest first.</summary>
    public abstract IEnumerable<DateTimeOffset> Between(DateTimeOffset from, bool fromInclusive, DateTimeOffset to);

    /// <summary>The first tick after <paramref name="after"/>, or null when the schedule never fires again.</summary>
    public abstract DateTimeOffset? NextAfter(DateTimeOffset after);

    /// <summary>The newest tick strictly between <paramref name="after"/> and <paramref name="before"/>, or null.</summary>
    public abstract DateTimeOffset? LastBefore(DateTimeOffset after, DateTimeOffset before);

    /// <summary>The ticks of <paramref name="trigger"/> in its zone, or <paramref name="defaultTimeZone"/> when it names none.</summary>
    /// <exception cref="ArgumentException">The cron, anchor or zone is not valid (validation reports them before this).</exception>
    public static ScheduleTicks Of(ScheduleTrigger trigger, string defaultTimeZone)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(defaultTimeZone);
        var zone = FindZone(trigger.TimeZone ?? defaultTimeZone);
        if (trigger.Interval is { } interval)
        {
            return new IntervalTicks(Definitions.Schedules.AnchorInstant(interval.Anchor, zone), interval.Every);
        }

        return Definitions.Schedules.TryParseCron(trigger.Cron!, out var cron, out var error)
            ? new CronTicks(cron!, zone)
            : throw new ArgumentException($"cron '{trigger.Cron}' {error}", nameof(trigger));
    }

    private static TimeZoneInfo FindZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : throw new ArgumentException($"time zone '{id}' is not known on this machine", nameof(id));
}

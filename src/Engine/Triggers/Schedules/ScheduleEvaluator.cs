using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>
/// Decides which ticks of a schedule to start, given the last moment already handled and the current time. Pure:
/// the same inputs give the same answer, so any process may evaluate and a repeated check finds the same ticks.
/// </summary>
/// <remarks>
/// <para>Ticks are a cron's occurrences in the schedule's time zone (<see cref="CronTicks"/>, with its daylight-saving
/// rules) or an interval's grid in elapsed time (<see cref="IntervalTicks"/>).</para>
/// <para>A tick is <em>on time</em> when it is at most <see cref="ScheduleOptions.Grace"/> old, and <em>missed</em>
/// when older (the process was down, or the timer did not fire). On time ticks always start. Missed ticks follow the
/// policy: <see cref="CatchUpPolicy.None"/> drops them, <see cref="CatchUpPolicy.Latest"/> starts the newest one if no
/// tick is on time (a run for a later tick supersedes it), <see cref="CatchUpPolicy.All"/> starts every one, oldest
/// first. On first sight of a schedule (no mark), nothing starts: the schedule begins now, never retroactively.</para>
/// </remarks>
internal static class ScheduleEvaluator
{
    /// <summary>Evaluates <paramref name="trigger"/> in its time zone, or in <paramref name="defaultTimeZone"/> when it names none.</summary>
    /// <exception cref="ArgumentException">The cron, anchor or time zone is not valid (validation reports them before this).</exception>
    public static ScheduleEvaluation Evaluate(
        ScheduleTrigger trigger, string defaultTimeZone, DateTimeOffset? handledThrough, DateTimeOffset now, ScheduleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return Evaluate(ScheduleTicks.Of(trigger, defaultTimeZone), trigger.CatchUp, handledThrough, now, options);
    }

    /// <summary>Evaluates a schedule's ticks.</summary>
    /// <param name="ticks">The schedule.</param>
    /// <param name="policy">What to do with missed ticks.</param>
    /// <param name="handledThrough">The mark: every tick at or before it is decided; null on first sight.</param>
    /// <param name="now">The current time.</param>
    /// <param name="options">Grace and caps; default <see cref="ScheduleOptions.Default"/>.</param>
    public static ScheduleEvaluation Evaluate(
        ScheduleTicks ticks, CatchUpPolicy policy, DateTimeOffset? handledThrough, DateTimeOffset now, ScheduleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        options ??= ScheduleOptions.Default;
        options.Validate();
        now = now.ToUniversalTime();

        // A mark at or after now (first sight, a clock that went back, or another process ahead of us): nothing is due.
        if (handledThrough is not { } mark || mark.ToUniversalTime() >= now)
        {
            var through = handledThrough is { } kept && kept.ToUniversalTime() > now ? kept.ToUniversalTime() : now;
            return new ScheduleEvaluation([], through, null, null, ticks.NextAfter(through));
        }

        mark = mark.ToUniversalTime();
        return policy == CatchUpPolicy.All ? EvaluateAll(ticks, mark, now, options) : EvaluateRecent(ticks, policy, mark, now, options);
    }

    private static ScheduleEvaluation EvaluateAll(ScheduleTicks ticks, DateTimeOffset mark, DateTimeOffset now, ScheduleOptions options)
    {
        var due = ticks.Between(mark, fromInclusive: false, now).Take(options.MaxStartsPerTick + 1).ToList();
        if (due.Count <= options.MaxStartsPerTick)
        {
            return new ScheduleEvaluation(due, now, null, null, ticks.NextAfter(now));
        }

        // More than the cap: start the oldest slice and mark only through it, so the next check continues from there.
        due.RemoveAt(due.Count - 1);
        return new ScheduleEvaluation(due, due[^1], null, null, ticks.NextAfter(due[^1]));
    }

    private static ScheduleEvaluation EvaluateRecent(ScheduleTicks ticks, CatchUpPolicy policy, DateTimeOffset mark, DateTimeOffset now, ScheduleOptions options)
    {
        var onTimeFrom = now - options.Grace;
        var anyMissed = mark < onTimeFrom;
        var onTime = ticks.Between(anyMissed ? onTimeFrom : mark, fromInclusive: anyMissed, now).ToList();
        if (onTime.Count > options.MaxStartsPerTick)
        {
            onTime = onTime[^options.MaxStartsPerTick..];
        }

        var next = ticks.NextAfter(now);
        if (!anyMissed)
        {
            return new ScheduleEvaluation(onTime, now, null, null, next);
        }

        // Missed ticks lie in (mark, onTimeFrom).
        var newestMissed = ticks.LastBefore(mark, onTimeFrom);
        if (newestMissed is null)
        {
            return new ScheduleEvaluation(onTime, now, null, null, next);
        }

        var oldestMissed = ticks.NextAfter(mark);
        if (policy == CatchUpPolicy.Latest && onTime.Count == 0)
        {
            var olderSkipped = ticks.LastBefore(mark, newestMissed.Value);
            return new ScheduleEvaluation([newestMissed.Value], now, olderSkipped is null ? null : oldestMissed, olderSkipped, next);
        }

        return new ScheduleEvaluation(onTime, now, oldestMissed, newestMissed, next);
    }

    /// <summary>The next <paramref name="count"/> ticks of <paramref name="trigger"/> after <paramref name="after"/>, in UTC; fewer when it stops firing.</summary>
    /// <exception cref="ArgumentException">The cron, anchor or time zone is not valid (validation reports them before this).</exception>
    public static IReadOnlyList<DateTimeOffset> Upcoming(ScheduleTrigger trigger, string defaultTimeZone, DateTimeOffset after, int count)
    {
        var source = ScheduleTicks.Of(trigger, defaultTimeZone);
        var ticks = new List<DateTimeOffset>(count);
        var from = after.ToUniversalTime();
        while (ticks.Count < count && source.NextAfter(from) is { } next)
        {
            ticks.Add(next);
            from = next;
        }

        return ticks;
    }
}

using Cronos;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>
/// Decides which ticks of a schedule to start, given the last moment already handled and the current time. Pure:
/// the same inputs give the same answer, so any process may evaluate and a repeated check finds the same ticks.
/// </summary>
/// <remarks>
/// <para>Ticks are the cron's occurrences in the schedule's time zone, with Cronos's daylight-saving rules: a time
/// skipped by a spring-forward gap fires once, at the end of the gap; a time repeated by a fall-back overlap fires
/// once, in its first occurrence, unless the cron's hour field is a wildcard, range or step (hourly and finer
/// schedules), which fires in both.</para>
/// <para>A tick is <em>on time</em> when it is at most <see cref="ScheduleOptions.Grace"/> old, and <em>missed</em>
/// when older (the process was down, or the timer did not fire). On time ticks always start. Missed ticks follow the
/// policy: <see cref="CatchUpPolicy.None"/> drops them, <see cref="CatchUpPolicy.Latest"/> starts the newest one if no
/// tick is on time (a run for a later tick supersedes it), <see cref="CatchUpPolicy.All"/> starts every one, oldest
/// first. On first sight of a schedule (no mark), nothing starts: the schedule begins now, never retroactively.</para>
/// </remarks>
internal static class ScheduleEvaluator
{
    // The backwards search for the newest missed tick starts with this window and doubles it, so an every-second
    // cron after a long outage costs a few thousand occurrences, not every one since the mark.
    private static readonly TimeSpan FirstWindow = TimeSpan.FromHours(1);

    /// <summary>Evaluates <paramref name="trigger"/> in its time zone, or in <paramref name="defaultTimeZone"/> when it names none.</summary>
    /// <exception cref="ArgumentException">The cron or the time zone is not valid (validation reports both before this).</exception>
    public static ScheduleEvaluation Evaluate(
        ScheduleTrigger trigger, string defaultTimeZone, DateTimeOffset? handledThrough, DateTimeOffset now, ScheduleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(defaultTimeZone);
        return Evaluate(ParseCron(trigger.Cron), FindZone(trigger.TimeZone ?? defaultTimeZone), trigger.CatchUp, handledThrough, now, options);
    }

    /// <summary>Evaluates a parsed cron in <paramref name="zone"/>.</summary>
    /// <param name="cron">The schedule.</param>
    /// <param name="zone">The time zone the cron is read in.</param>
    /// <param name="policy">What to do with missed ticks.</param>
    /// <param name="handledThrough">The mark: every tick at or before it is decided; null on first sight.</param>
    /// <param name="now">The current time.</param>
    /// <param name="options">Grace and caps; default <see cref="ScheduleOptions.Default"/>.</param>
    public static ScheduleEvaluation Evaluate(
        CronExpression cron, TimeZoneInfo zone, CatchUpPolicy policy, DateTimeOffset? handledThrough, DateTimeOffset now, ScheduleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cron);
        ArgumentNullException.ThrowIfNull(zone);
        options ??= ScheduleOptions.Default;
        options.Validate();
        now = now.ToUniversalTime();

        // A mark at or after now (first sight, a clock that went back, or another process ahead of us): nothing is due.
        if (handledThrough is not { } mark || mark.ToUniversalTime() >= now)
        {
            var through = handledThrough is { } kept && kept.ToUniversalTime() > now ? kept.ToUniversalTime() : now;
            return new ScheduleEvaluation([], through, null, null, NextAfter(cron, zone, through));
        }

        mark = mark.ToUniversalTime();
        return policy == CatchUpPolicy.All ? EvaluateAll(cron, zone, mark, now, options) : EvaluateRecent(cron, zone, policy, mark, now, options);
    }

    private static ScheduleEvaluation EvaluateAll(CronExpression cron, TimeZoneInfo zone, DateTimeOffset mark, DateTimeOffset now, ScheduleOptions options)
    {
        var due = Occurrences(cron, zone, mark, fromInclusive: false, now).Take(options.MaxStartsPerTick + 1).ToList();
        if (due.Count <= options.MaxStartsPerTick)
        {
            return new ScheduleEvaluation(due, now, null, null, NextAfter(cron, zone, now));
        }

        // More than the cap: start the oldest slice and mark only through it, so the next check continues from there.
        due.RemoveAt(due.Count - 1);
        return new ScheduleEvaluation(due, due[^1], null, null, NextAfter(cron, zone, due[^1]));
    }

    private static ScheduleEvaluation EvaluateRecent(
        CronExpression cron, TimeZoneInfo zone, CatchUpPolicy policy, DateTimeOffset mark, DateTimeOffset now, ScheduleOptions options)
    {
        var onTimeFrom = now - options.Grace;
        var anyMissed = mark < onTimeFrom;
        var onTime = Occurrences(cron, zone, anyMissed ? onTimeFrom : mark, fromInclusive: anyMissed, now).ToList();
        if (onTime.Count > options.MaxStartsPerTick)
        {
            onTime = onTime[^options.MaxStartsPerTick..];
        }

        var next = NextAfter(cron, zone, now);
        if (!anyMissed)
        {
            return new ScheduleEvaluation(onTime, now, null, null, next);
        }

        // Missed ticks lie in (mark, onTimeFrom).
        var newestMissed = LastBefore(cron, zone, mark, onTimeFrom);
        if (newestMissed is null)
        {
            return new ScheduleEvaluation(onTime, now, null, null, next);
        }

        var oldestMissed = NextAfter(cron, zone, mark);
        if (policy == CatchUpPolicy.Latest && onTime.Count == 0)
        {
            var olderSkipped = LastBefore(cron, zone, mark, newestMissed.Value);
            return new ScheduleEvaluation([newestMissed.Value], now, olderSkipped is null ? null : oldestMissed, olderSkipped, next);
        }

        return new ScheduleEvaluation(onTime, now, oldestMissed, newestMissed, next);
    }

    // The newest occurrence strictly between after and before, searching backwards in doubling windows.
    private static DateTimeOffset? LastBefore(CronExpression cron, TimeZoneInfo zone, DateTimeOffset after, DateTimeOffset before)
    {
        for (var window = FirstWindow; ; window *= 2)
        {
            var from = before - after <= window ? after : before - window;
            DateTimeOffset? last = null;
            foreach (var occurrence in cron.GetOccurrences(from, before, zone, fromInclusive: from != after, toInclusive: false))
            {
                last = occurrence;
            }

            if (last is not null || from == after)
            {
                return last?.ToUniversalTime();
            }
        }
    }

    private static IEnumerable<DateTimeOffset> Occurrences(CronExpression cron, TimeZoneInfo zone, DateTimeOffset from, bool fromInclusive, DateTimeOffset to) =>
        from > to ? [] : cron.GetOccurrences(from, to, zone, fromInclusive, toInclusive: true).Select(o => o.ToUniversalTime());

    /// <summary>The next <paramref name="count"/> ticks of <paramref name="trigger"/> after <paramref name="after"/>, in UTC; fewer when it stops firing.</summary>
    /// <exception cref="ArgumentException">The cron or the time zone is not valid (validation reports both before this).</exception>
    public static IReadOnlyList<DateTimeOffset> Upcoming(ScheduleTrigger trigger, string defaultTimeZone, DateTimeOffset after, int count)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(defaultTimeZone);
        var cron = ParseCron(trigger.Cron);
        var zone = FindZone(trigger.TimeZone ?? defaultTimeZone);
        var ticks = new List<DateTimeOffset>(count);
        var from = after.ToUniversalTime();
        while (ticks.Count < count && NextAfter(cron, zone, from) is { } next)
        {
            ticks.Add(next);
            from = next;
        }

        return ticks;
    }

    private static DateTimeOffset? NextAfter(CronExpression cron, TimeZoneInfo zone, DateTimeOffset after) =>
        cron.GetNextOccurrence(after, zone, inclusive: false)?.ToUniversalTime();

    private static CronExpression ParseCron(string text) =>
        Definitions.Schedules.TryParseCron(text, out var cron, out var error) ? cron! : throw new ArgumentException($"cron '{text}' {error}", nameof(text));

    private static TimeZoneInfo FindZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : throw new ArgumentException($"time zone '{id}' is not known on this machine", nameof(id));
}

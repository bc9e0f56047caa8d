using Cronos;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>
/// A cron's occurrences in a time zone, with Cronos's daylight-saving rules: a time skipped by a spring-forward gap
/// fires once, at the end of the gap; a time repeated by a fall-back overlap fires once, in its first occurrence,
/// unless the cron's hour field is a wildcard, range or step (hourly and finer schedules), which fires in both.
/// </summary>
internal sealed class CronTicks(CronExpression cron, TimeZoneInfo zone) : ScheduleTicks
{
    // The backwards search for the newest tick starts with this window and doubles it, so an every-second cron after
    // a long outage costs a few thousand occurrences, not every one since the mark.
    private static readonly TimeSpan FirstWindow = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public override IEnumerable<DateTimeOffset> Between(DateTimeOffset from, bool fromInclusive, DateTimeOffset to) =>
        from > to ? [] : cron.GetOccurrences(from, to, zone, fromInclusive, toInclusive: true).Select(o => o.ToUniversalTime());

    /// <inheritdoc/>
    public override DateTimeOffset? NextAfter(DateTimeOffset after) => cron.GetNextOccurrence(after, zone, inclusive: false)?.ToUniversalTime();

    /// <inheritdoc/>
    public override DateTimeOffset? LastBefore(DateTimeOffset after, DateTimeOffset before)
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
}

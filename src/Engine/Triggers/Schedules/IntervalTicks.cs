namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>
/// An interval schedule's ticks: <paramref name="anchor"/> + k × <paramref name="every"/> for k = 0, 1, 2, … in elapsed
/// time, so a daylight-saving change shifts them in local time and never skips or repeats one. Nothing fires before
/// the anchor.
/// </summary>
internal sealed class IntervalTicks(DateTimeOffset anchor, TimeSpan every) : ScheduleTicks
{
    /// <inheritdoc/>
    public override IEnumerable<DateTimeOffset> Between(DateTimeOffset from, bool fromInclusive, DateTimeOffset to)
    {
        // Stops at the last representable moment rather than overflow on a range near the year 9999.
        for (var tick = FirstFrom(from, fromInclusive); tick <= to; tick = DateTimeOffset.MaxValue - tick.Value < every ? null : tick + every)
        {
            yield return tick.Value;
        }
    }

    /// <inheritdoc/>
    public override DateTimeOffset? NextAfter(DateTimeOffset after) => FirstFrom(after, inclusive: false);

    /// <inheritdoc/>
    public override DateTimeOffset? LastBefore(DateTimeOffset after, DateTimeOffset before)
    {
        if (before <= anchor)
        {
            return null;
        }

        // The newest grid point below before, found by division rather than by walking from after.
        var steps = (before - anchor).Ticks / every.Ticks;
        var last = anchor + (every * steps);
        if (last >= before)
        {
            last -= every;
        }

        return last > after && last >= anchor ? last : null;
    }

    // The first grid point at or after (inclusive) or strictly after a moment; the anchor when the moment is before it;
    // null past the last representable one.
    private DateTimeOffset? FirstFrom(DateTimeOffset moment, bool inclusive)
    {
        if (moment < anchor)
        {
            return anchor;
        }

        var steps = (moment - anchor).Ticks / every.Ticks;
        var tick = anchor + (every * steps);
        return (inclusive && tick == moment) ? tick : DateTimeOffset.MaxValue - tick < every ? null : tick + every;
    }
}

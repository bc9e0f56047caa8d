namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>How schedules are evaluated: how late a tick may be noticed and still count as on time, and how many runs one tick may start.</summary>
internal sealed record ScheduleOptions
{
    /// <summary>The defaults: a grace of 2 minutes and at most 100 starts per schedule per tick.</summary>
    public static ScheduleOptions Default { get; } = new();

    /// <summary>
    /// How long after its time a tick still counts as on time rather than missed. It must exceed the interval
    /// between checks (a minute for the Azure timer function and the local loop), or ticks would be missed in normal
    /// operation; twice the interval leaves room for a late timer.
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The most runs one schedule starts in one check. With <c>catch_up: all</c> the rest wait for the next
    /// check, so a long outage is worked off in slices instead of one burst.
    /// </summary>
    public int MaxStartsPerTick { get; init; } = 100;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Grace, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStartsPerTick, 1);
    }
}

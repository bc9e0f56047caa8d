namespace Duraflow.Engine.Runs;

/// <summary>
/// The events durable timers deliver. A timer's event is made when the timer is set, with its due time; it is
/// recorded with the time it actually took effect instead, so a run's history shows how late each timer was.
/// </summary>
internal static class TimerEvents
{
    /// <summary><paramref name="fired"/> as it happened at <paramref name="now"/>; any other event unchanged.</summary>
    public static RunEvent FiredAt(RunEvent fired, DateTimeOffset now) => fired switch
    {
        RetryTimerFired retry => retry with { At = now },
        WaitTimerFired wait => wait with { At = now },
        RunTimedOut timeout => timeout with { At = now },
        SlaMissed sla => sla with { At = now },
        _ => fired,
    };
}

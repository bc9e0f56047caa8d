namespace Duraflow.Engine.Definitions;

/// <summary>Run events an alert can be sent for.</summary>
internal enum AlertEvent
{
    /// <summary>The run failed.</summary>
    Failed,

    /// <summary>The run succeeded.</summary>
    Succeeded,

    /// <summary>The run was cancelled.</summary>
    Cancelled,

    /// <summary>A block is being retried.</summary>
    Retrying,

    /// <summary>The run is still going when its <c>sla</c> has passed.</summary>
    SlaMissed,

    /// <summary>The run started (took its concurrency slot), each round of a retried run again.</summary>
    Started,
}

/// <summary>Alert events by the names <c>on:</c>, bodies and records use.</summary>
internal static class AlertEvents
{
    /// <summary><c>failed</c>, <c>sla_missed</c> …</summary>
    public static string Name(AlertEvent alertEvent) =>
        alertEvent == AlertEvent.SlaMissed ? "sla_missed" : alertEvent.ToString().ToLowerInvariant();
}

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
}

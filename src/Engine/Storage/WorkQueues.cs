namespace Duraflow.Engine.Storage;

/// <summary>The queue names.</summary>
internal static class WorkQueues
{
    /// <summary>Run starts, timers and other messages the run's decider consumes.</summary>
    public const string Orchestration = "orchestration";

    /// <summary>Block attempts for the execution pool.</summary>
    public const string Blocks = "blocks";

    /// <summary>Alerts to send (see <c>Alerts.AlertOutbox</c>).</summary>
    public const string Alerts = "alerts";
}

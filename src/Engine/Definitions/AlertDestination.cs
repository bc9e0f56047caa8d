namespace Duraflow.Engine.Definitions;

/// <summary>Where an alert goes, and so the shape of what is sent.</summary>
internal enum AlertDestination
{
    /// <summary>Any HTTPS endpoint: Duraflow's own JSON body (docs/pipelines.md, "Alerts").</summary>
    Webhook,

    /// <summary>A Slack incoming webhook: a Block Kit message.</summary>
    Slack,

    /// <summary>A Microsoft Teams workflow webhook: an Adaptive Card.</summary>
    Teams,
}

/// <summary>Alert destinations by the names pipeline.yaml, records, logs and metrics use.</summary>
internal static class AlertDestinations
{
    /// <summary><c>webhook</c>, <c>slack</c> or <c>teams</c>.</summary>
    public static string Name(AlertDestination destination) => destination.ToString().ToLowerInvariant();
}

namespace Duraflow.Api.Workers;

/// <summary>Whether the local server works on runs itself (configuration <c>Duraflow:LocalWorkers</c>, e.g. <c>Duraflow__LocalWorkers=false</c>).</summary>
internal sealed class LocalWorkerOptions
{
    public const string Section = "Duraflow";

    /// <summary>
    /// True (the default): without the Functions host, the app polls the store's queues itself. Off for an API-only
    /// server next to separate <c>duraflow worker</c> processes, and in tests that deliver messages by hand.
    /// </summary>
    public bool LocalWorkers { get; set; } = true;
}

namespace Duraflow.Functions;

/// <summary>
/// The app's Azure Functions, by name (the names in functions.metadata, the portal and the logs), and the app
/// settings their triggers name.
/// </summary>
internal static class FunctionNames
{
    /// <summary>HTTP: every request to <c>/api/*</c>, handed to the API's request pipeline.</summary>
    public const string Api = "api";

    /// <summary>Queue trigger on <c>{prefix}-orchestration</c>: run starts and durable timers.</summary>
    public const string Orchestration = "orchestration";

    /// <summary>Queue trigger on <c>{prefix}-blocks</c>: block attempts.</summary>
    public const string Blocks = "blocks";

    /// <summary>Queue trigger on <c>{prefix}-alerts</c>: alerts to send, for runs of both runtimes.</summary>
    public const string Alerts = "alerts";

    /// <summary>Timer trigger, every minute: evaluates the pipelines' schedules.</summary>
    public const string Schedule = "schedule";

    /// <summary>Queue trigger on the queue Event Grid delivers blob events to.</summary>
    public const string BlobEvents = "blobevents";

    /// <summary>The app setting naming the engine's queue prefix (<c>%DURAFLOW_QUEUE_PREFIX%-blocks</c>).</summary>
    public const string QueuePrefixSetting = "DURAFLOW_QUEUE_PREFIX";

    /// <summary>The app setting naming the queue Event Grid delivers blob-created events to.</summary>
    public const string BlobEventsQueueSetting = "DURAFLOW_BLOB_EVENTS_QUEUE";

    /// <summary>
    /// The app setting naming the Durable runtime's task hub (host.json <c>extensions.durableTask.hubName</c>): the
    /// tables, queues and blobs in AzureWebJobsStorage the host's Durable Task extension keeps orchestrations in.
    /// </summary>
    public const string TaskHubSetting = "DURAFLOW_TASK_HUB";
}

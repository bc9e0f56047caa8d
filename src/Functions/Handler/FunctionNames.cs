namespace Duraflow.Functions.Handler;

/// <summary>
/// The app's Azure Functions: each is a folder with a function.json next to host.json, and the host POSTs a non-HTTP
/// function's invocations to <c>/{name}</c>. Renaming one means renaming its folder under src/Functions/functions.
/// </summary>
internal static class FunctionNames
{
    /// <summary>HTTP: every request to <c>/api/*</c>, forwarded unchanged to the app's routes.</summary>
    public const string Api = "api";

    /// <summary>Queue trigger on <c>{prefix}-orchestration</c>: run starts and durable timers.</summary>
    public const string Orchestration = "orchestration";

    /// <summary>Queue trigger on <c>{prefix}-blocks</c>: block attempts.</summary>
    public const string Blocks = "blocks";

    /// <summary>Timer trigger, every minute: evaluates the pipelines' schedules.</summary>
    public const string Schedule = "schedule";

    /// <summary>Queue trigger on the queue Event Grid delivers blob events to.</summary>
    public const string BlobEvents = "blobevents";

    /// <summary>The trigger binding's name in the queue functions' function.json: the key of the message in <c>Data</c>.</summary>
    public const string QueueBinding = "message";

    /// <summary>The trigger binding's name in the schedule function's function.json.</summary>
    public const string TimerBinding = "timer";
}

using Duraflow.Engine.Triggers.BlobEvents;

namespace Duraflow.Api.Triggers;

/// <summary>
/// Blob-created events, from the Event Grid queue (Azure), the webhook and the folder watcher (local): each is
/// matched against the pipelines' <c>blob_created</c> triggers as they are now, and starts one run per event and
/// pipeline, keyed by the event id so redeliveries start nothing new.
/// </summary>
internal sealed partial class EngineBlobEvents(SharedEngine sharedEngine, PipelineCatalog catalog, ILogger<EngineBlobEvents> logger) : IBlobEventSink
{
    /// <summary>
    /// A queue message from Event Grid. One that cannot be read is logged and dropped: delivering it again cannot make
    /// it readable. A store failure throws, so that the host delivers it again.
    /// </summary>
    public async Task HandleAsync(string messageText, CancellationToken cancellationToken)
    {
        IReadOnlyList<BlobCreatedEvent> events;
        try
        {
            events = BlobEventParser.Parse(messageText);
        }
        catch (BlobEventFormatException e)
        {
            LogUnreadable(logger, e.Message, e);
            return;
        }

        await DispatchAsync(events, cancellationToken);
    }

    /// <summary>Starts the runs the events ask for.</summary>
    public async Task DispatchAsync(IReadOnlyList<BlobCreatedEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var starter = await (await sharedEngine.RouterAsync(cancellationToken)).StarterAsync(cancellationToken);
        var dispatcher = new BlobEventDispatcher(starter, new BlobTriggerMatcher(catalog.Validate().Pipelines));
        foreach (var result in await dispatcher.DispatchAsync(events, cancellationToken))
        {
            LogDispatched(logger, result.Event.Container, result.Event.Name, result.Outcome, result.Pipeline ?? "-", result.RunId ?? result.Error ?? "-");
        }
    }

    [LoggerMessage(5201, LogLevel.Warning, "A blob event message could not be read and was dropped: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string reason, Exception exception);

    [LoggerMessage(5202, LogLevel.Information, "Blob {Container}/{Blob}: {Outcome} {Pipeline} {Run}")]
    private static partial void LogDispatched(ILogger logger, string container, string blob, BlobDispatchOutcome outcome, string pipeline, string run);
}

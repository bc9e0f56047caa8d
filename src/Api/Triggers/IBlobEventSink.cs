namespace Duraflow.Api.Triggers;

/// <summary>
/// What the <c>blobevents</c> queue function calls with each message Event Grid put on the blob-events queue: one
/// event, Event Grid or CloudEvents schema, as JSON text (or base64 of it, when it could not be unwrapped as JSON).
/// </summary>
internal interface IBlobEventSink
{
    /// <summary>Handles one message; throwing fails the invocation, so the host delivers it again.</summary>
    Task HandleAsync(string messageText, CancellationToken cancellationToken);
}

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>
/// A blob that was created (or overwritten), as Event Grid, a CloudEvent or the local folder watcher reports it.
/// </summary>
/// <param name="Id">The event id; with the pipeline, it keys the run an event starts, so a redelivery starts nothing new.</param>
/// <param name="Account">The storage account name, or null when the event does not say (the local folder watcher).</param>
/// <param name="Container">The container the blob is in.</param>
/// <param name="Name">The blob's name within the container, URL-decoded (<c>in/2026-11-24.csv</c>).</param>
/// <param name="Url">The blob's URL (a <c>file:</c> URI for the folder watcher).</param>
/// <param name="ContentType">The blob's content type, when reported.</param>
/// <param name="Size">The blob's size in bytes, when reported.</param>
/// <param name="ETag">The blob's ETag, when reported.</param>
/// <param name="Sequencer">An opaque value that orders events of one blob by ordinal string comparison, when reported.</param>
/// <param name="EventTime">When the blob was created, when reported.</param>
internal sealed record BlobCreatedEvent(
    string Id,
    string? Account,
    string Container,
    string Name,
    string Url,
    string? ContentType,
    long? Size,
    string? ETag,
    string? Sequencer,
    DateTimeOffset? EventTime);

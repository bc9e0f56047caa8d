using Duraflow.Engine.Triggers.BlobEvents;

namespace Duraflow.Api.Triggers;

/// <summary>What to answer an Event Grid webhook request with, and the blob events it delivered.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Headers">Response headers to set (content type included when there is a body).</param>
/// <param name="Body">The response body, or null for none.</param>
/// <param name="Events">The blob-created events delivered; empty for handshakes and errors.</param>
internal sealed record WebhookResponse(int Status, IReadOnlyDictionary<string, string> Headers, string? Body, IReadOnlyList<BlobCreatedEvent> Events);

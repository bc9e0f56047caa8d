using System.Text.Json;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>
/// Reads one event object with the Azure SDK: its envelope as an <see cref="EventGridEvent"/> or a
/// <see cref="CloudEvent"/>, and its data as <see cref="StorageBlobCreatedEventData"/> or
/// <see cref="SubscriptionValidationEventData"/>. What the SDK refuses becomes a <see cref="BlobEventFormatException"/>
/// that names the JSON path (<see cref="EventModelMismatch"/>).
/// </summary>
/// <remarks>
/// Events are read one object at a time rather than with <c>ParseMany</c>, so that an error names the event's index
/// and an array may mix the two schemas, as it always could.
/// </remarks>
internal static class BlobEventReader
{
    // The SDK reads a schema it is told; these tell which. Event Grid events never carry specversion.
    private const string CloudEventMarker = "specversion";
    private const string EventGridMarker = "eventType";
    // The SDK gives a CloudEvent without a time the moment it was read; only the attribute's presence tells them apart.
    private const string CloudEventTime = "time";
    // The SDK fails on an Event Grid event without data with a message that names nothing.
    private const string EventGridData = "data";
    private const string SubjectStart = "/blobServices/default/containers/";
    private const string BlobsSegment = "/blobs/";

    /// <summary>The blob-created event at <paramref name="path"/>, or null when the event is of another type.</summary>
    /// <param name="item">One element of the body.</param>
    /// <param name="path">Its JSON path, for messages (<c>$</c> or <c>$[3]</c>).</param>
    public static BlobCreatedEvent? Read(JsonElement item, string path)
    {
        var envelope = ReadEnvelope(item, path);
        if (!string.Equals(envelope.Type, SystemEventNames.StorageBlobCreated, StringComparison.Ordinal))
        {
            return null;
        }

        var id = Required(envelope.Id, $"{path}.id");
        var (container, name) = ParseSubject(Required(envelope.Subject, $"{path}.subject"), $"{path}.subject");
        var dataPath = $"{path}.data";
        var data = ReadBlobData(envelope.Data, dataPath);
        var url = Required(data.Url, $"{dataPath}.url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new BlobEventFormatException($"{dataPath}.url: expected an absolute URL, found '{url}'");
        }

        if (data.ContentLength is < 0)
        {
            throw new BlobEventFormatException($"{dataPath}.contentLength: expected a byte count, found {data.ContentLength}");
        }

        return new BlobCreatedEvent(
            id,
            StorageAccountNames.FromResourceId(envelope.Source) ?? StorageAccountNames.FromBlobUrl(uri),
            container,
            name,
            url,
            data.ContentType,
            data.ContentLength,
            data.ETag,
            data.Sequencer,
            envelope.Time?.ToUniversalTime());
    }

    /// <summary>
    /// The code of an Event Grid subscription validation event at <paramref name="path"/>, or null when the element is
    /// no such event and <paramref name="validating"/> is false.
    /// </summary>
    /// <param name="item">The body's first event, or default when the body is an empty array.</param>
    /// <param name="path">Its JSON path, for messages.</param>
    /// <param name="validating">Whether the request says it is a handshake (<c>aeg-event-type: SubscriptionValidation</c>).</param>
    /// <exception cref="BlobEventFormatException">The element is a handshake without a code.</exception>
    public static string? ValidationCode(JsonElement item, string path, bool validating)
    {
        var envelope = item.ValueKind == JsonValueKind.Object && item.TryGetProperty(EventGridMarker, out _)
            ? ReadEnvelope(item, path)
            : (Envelope?)null;
        var isValidationEvent = string.Equals(envelope?.Type, SystemEventNames.EventGridSubscriptionValidation, StringComparison.Ordinal);
        if (!validating && !isValidationEvent)
        {
            return null;
        }

        if (envelope?.Data is { } data && TryReadData<SubscriptionValidationEventData>(data) is { ValidationCode: { Length: > 0 } code })
        {
            return code;
        }

        throw new BlobEventFormatException($"{path}.data.validationCode: a subscription validation event must carry a non-empty validation code");
    }

    private static Envelope ReadEnvelope(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new BlobEventFormatException($"{path}: expected an event object, found {BlobEventParser.Describe(item.ValueKind)}");
        }

        var cloudEvent = item.TryGetProperty(CloudEventMarker, out _);
        if (!cloudEvent && !item.TryGetProperty(EventGridMarker, out _))
        {
            throw new BlobEventFormatException($"{path}: neither an Event Grid event (no {EventGridMarker}) nor a CloudEvent (no {CloudEventMarker})");
        }

        var json = BinaryData.FromString(item.GetRawText());
        try
        {
            if (cloudEvent)
            {
                // Without validation the SDK keeps attributes it does not know (an object-valued or upper-case
                // extension), which the blob trigger never needs; the ones it does need are checked in Read.
                var read = CloudEvent.Parse(json, skipValidation: true)
                    ?? throw new BlobEventFormatException($"{path}: the CloudEvent is empty");
                var time = item.TryGetProperty(CloudEventTime, out _) ? read.Time : null;
                return new Envelope(read.Id, Required(read.Type, $"{path}.type"), read.Subject, read.Source, time, read.Data);
            }

            var gridEvent = EventGridEvent.Parse(json);
            // The SDK reads a missing eventTime as the default value; such an event has no time, not year one.
            var eventTime = gridEvent.EventTime == default ? (DateTimeOffset?)null : gridEvent.EventTime;
            return new Envelope(gridEvent.Id, gridEvent.EventType, gridEvent.Subject, gridEvent.Topic, eventTime, gridEvent.Data);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            var (model, schema) = cloudEvent ? (typeof(CloudEvent), "CloudEvent") : (typeof(EventGridEvent), "Event Grid event");
            throw EventModelMismatch.Find(item, path, model, e)
                ?? (cloudEvent || item.TryGetProperty(EventGridData, out _) ? null : new BlobEventFormatException($"{path}.{EventGridData}: missing", e))
                ?? new BlobEventFormatException($"{path}: not a readable {schema}: {e.Message}", e);
        }
    }

    private static StorageBlobCreatedEventData ReadBlobData(BinaryData? data, string path)
    {
        var element = ReadDataElement(data, path);
        if (element.ValueKind != JsonValueKind.Object)
        {
            var found = element.ValueKind == JsonValueKind.Undefined ? "no data" : BlobEventParser.Describe(element.ValueKind);
            throw new BlobEventFormatException($"{path}: expected the blob's details as an object, found {found}");
        }

        try
        {
            return element.Deserialize<StorageBlobCreatedEventData>()
                ?? throw new BlobEventFormatException($"{path}: expected the blob's details as an object, found null");
        }
        catch (JsonException e)
        {
            throw EventModelMismatch.Find(element, path, typeof(StorageBlobCreatedEventData), e)
                ?? new BlobEventFormatException($"{path}: not readable as a blob's details: {e.Message}", e);
        }
    }

    private static JsonElement ReadDataElement(BinaryData? data, string path)
    {
        if (data is null)
        {
            return default;
        }

        try
        {
            return data.ToObjectFromJson<JsonElement>();
        }
        catch (JsonException e)
        {
            // Only a CloudEvent's data_base64 can hold bytes that are not JSON.
            throw new BlobEventFormatException($"{path}: expected the blob's details as JSON, found bytes that are not", e);
        }
    }

    private static T? TryReadData<T>(BinaryData data)
        where T : class
    {
        try
        {
            return data.ToObjectFromJson<T>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Required(string? value, string path) => value switch
    {
        null => throw new BlobEventFormatException($"{path}: missing"),
        "" => throw new BlobEventFormatException($"{path}: expected a non-empty string, found an empty one"),
        _ => value,
    };

    private static (string Container, string Name) ParseSubject(string subject, string path)
    {
        var blobs = subject.StartsWith(SubjectStart, StringComparison.Ordinal)
            ? subject.IndexOf(BlobsSegment, SubjectStart.Length, StringComparison.Ordinal)
            : -1;
        if (blobs <= SubjectStart.Length || blobs + BlobsSegment.Length >= subject.Length)
        {
            throw new BlobEventFormatException($"{path}: expected {SubjectStart}CONTAINER{BlobsSegment}NAME, found '{subject}'");
        }

        // Subjects carry the name as the URL path does; decoding both ways gives the name the user wrote.
        return (subject[SubjectStart.Length..blobs], Uri.UnescapeDataString(subject[(blobs + BlobsSegment.Length)..]));
    }

    /// <summary>What the two schemas' envelopes share, as the SDK read it.</summary>
    private readonly record struct Envelope(string? Id, string? Type, string? Subject, string? Source, DateTimeOffset? Time, BinaryData? Data);
}

using System.Globalization;
using System.Text.Json;

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>Reads one event object of either schema into a <see cref="BlobCreatedEvent"/>, naming the path of any bad field.</summary>
internal static class BlobEventFields
{
    private const string SubjectStart = "/blobServices/default/containers/";
    private const string BlobsSegment = "/blobs/";

    /// <summary>The event at <paramref name="path"/>, or null when it is of another type than BlobCreated.</summary>
    public static BlobCreatedEvent? Read(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new BlobEventFormatException($"{path}: expected an event object, found {BlobEventParser.Describe(item.ValueKind)}");
        }

        // CloudEvents say specversion; the Event Grid schema says eventType. Field names differ only in the envelope.
        var cloudEvent = item.TryGetProperty("specversion", out _);
        if (!cloudEvent && !item.TryGetProperty("eventType", out _))
        {
            throw new BlobEventFormatException($"{path}: neither an Event Grid event (no eventType) nor a CloudEvent (no specversion)");
        }

        var type = RequiredString(item, cloudEvent ? "type" : "eventType", path);
        if (!string.Equals(type, BlobEventTypes.BlobCreated, StringComparison.Ordinal))
        {
            return null;
        }

        var id = RequiredString(item, "id", path);
        var (container, name) = ParseSubject(RequiredString(item, "subject", path), $"{path}.subject");
        if (!item.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new BlobEventFormatException($"{path}.data: expected the blob's details as an object, found {(data.ValueKind == JsonValueKind.Undefined ? "no data" : BlobEventParser.Describe(data.ValueKind))}");
        }

        var dataPath = $"{path}.data";
        var url = RequiredString(data, "url", dataPath);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new BlobEventFormatException($"{dataPath}.url: expected an absolute URL, found '{url}'");
        }

        var timeField = cloudEvent ? "time" : "eventTime";
        var source = OptionalString(item, cloudEvent ? "source" : "topic", path);
        return new BlobCreatedEvent(
            id,
            StorageAccountNames.FromResourceId(source) ?? StorageAccountNames.FromBlobUrl(uri),
            container,
            name,
            url,
            OptionalString(data, "contentType", dataPath),
            OptionalLong(data, "contentLength", dataPath),
            OptionalString(data, "eTag", dataPath),
            OptionalString(data, "sequencer", dataPath),
            OptionalTime(item, timeField, path));
    }

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

    private static string RequiredString(JsonElement item, string field, string path)
    {
        if (!item.TryGetProperty(field, out var value))
        {
            throw new BlobEventFormatException($"{path}.{field}: missing");
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            throw new BlobEventFormatException($"{path}.{field}: expected a non-empty string, found {BlobEventParser.Describe(value.ValueKind)}");
        }

        return text;
    }

    private static string? OptionalString(JsonElement item, string field, string path)
    {
        if (!item.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new BlobEventFormatException($"{path}.{field}: expected a string, found {BlobEventParser.Describe(value.ValueKind)}");
    }

    private static long? OptionalLong(JsonElement item, string field, string path)
    {
        if (!item.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw new BlobEventFormatException($"{path}.{field}: expected a byte count, found {value.GetRawText()}");
    }

    private static DateTimeOffset? OptionalTime(JsonElement item, string field, string path)
    {
        if (OptionalString(item, field, path) is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new BlobEventFormatException($"{path}.{field}: expected an RFC 3339 date-time, found '{text}'");
    }
}

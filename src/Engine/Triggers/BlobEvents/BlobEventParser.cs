using System.Text;
using System.Text.Json;

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>
/// Reads blob-created events from a Storage Queue message (Event Grid → queue) or a webhook body: raw or base64-wrapped
/// JSON, a single event or an array, in the Event Grid schema or as CloudEvents 1.0. Events of other types (BlobDeleted,
/// a subscription handshake) are skipped, not errors.
/// </summary>
/// <remarks>
/// Event Grid writes one event per queue message, sometimes as plain text and sometimes base64-encoded (sources
/// disagree), and a Functions host may pass a string trigger value JSON-quoted once more; all of these are
/// unwrapped here. Each event is then read by the Azure SDK (<see cref="BlobEventReader"/>). Anything else throws
/// <see cref="BlobEventFormatException"/> naming the JSON path of the problem.
/// </remarks>
internal static class BlobEventParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the blob-created events in <paramref name="text"/>.</summary>
    /// <param name="text">A queue message or a webhook body.</param>
    /// <returns>The blob-created events in the order given; empty when the body holds only other event types.</returns>
    /// <exception cref="BlobEventFormatException">The text is not JSON or base64 JSON, or an event lacks a field it needs.</exception>
    public static IReadOnlyList<BlobCreatedEvent> Parse(string text) => ReadEvents(ReadBody(text));

    /// <summary>
    /// Reads the blob-created events in a trigger value the host already parsed: a JSON string is read as
    /// <see cref="Parse(string)"/> reads text; an object or array is read as events.
    /// </summary>
    /// <param name="value">The queue trigger's value from the invocation's <c>Data</c>.</param>
    /// <returns>The blob-created events in the order given.</returns>
    /// <exception cref="BlobEventFormatException">The value is not an event, an array of events or text holding them.</exception>
    public static IReadOnlyList<BlobCreatedEvent> Parse(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? Parse(value.GetString()!) : ReadEvents(value);

    /// <summary>Decodes a body to its JSON value: raw JSON, a JSON-quoted string of it, or base64 of it.</summary>
    internal static JsonElement ReadBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ReadBody(text, quoted: false);
    }

    /// <summary>The blob-created events of a decoded body; other event types are skipped.</summary>
    internal static IReadOnlyList<BlobCreatedEvent> ReadEvents(JsonElement root)
    {
        var events = new List<BlobCreatedEvent>();
        switch (root.ValueKind)
        {
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    if (BlobEventReader.Read(item, $"$[{index++}]") is { } read)
                    {
                        events.Add(read);
                    }
                }

                break;
            case JsonValueKind.Object:
                if (BlobEventReader.Read(root, "$") is { } single)
                {
                    events.Add(single);
                }

                break;
            default:
                throw new BlobEventFormatException($"$: expected an event object or an array of events, found {Describe(root.ValueKind)}");
        }

        return events;
    }

    /// <summary>
    /// The code of an Event Grid subscription validation handshake in a decoded webhook body, or null when the body is a
    /// delivery. With the handshake header, a body without a code is malformed rather than a delivery.
    /// </summary>
    /// <param name="root">The decoded body (<see cref="ReadBody(string)"/>).</param>
    /// <param name="validating">Whether the request carries <c>aeg-event-type: SubscriptionValidation</c>.</param>
    /// <exception cref="BlobEventFormatException">A handshake without a code, or a first event the SDK cannot read.</exception>
    internal static string? FindValidationCode(JsonElement root, bool validating)
    {
        // Event Grid sends the handshake as the only event of an array; a bare object is taken too.
        return root.ValueKind == JsonValueKind.Array
            ? BlobEventReader.ValidationCode(root.GetArrayLength() > 0 ? root[0] : default, "$[0]", validating)
            : BlobEventReader.ValidationCode(root, "$", validating);
    }

    /// <summary>Names a JSON kind for messages.</summary>
    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static JsonElement ReadBody(string text, bool quoted)
    {
        var trimmed = text.Trim().TrimStart('\uFEFF');
        if (trimmed.Length == 0)
        {
            throw new BlobEventFormatException(quoted ? "$: the body is a JSON string holding nothing" : "$: the body is empty");
        }

        switch (trimmed[0])
        {
            case '{' or '[':
                return ParseJson(trimmed, "the body");
            case '"' when !quoted:
                // The Functions host JSON-quotes string trigger values once more; one level is unwrapped, no deeper.
                var inner = ParseJson(trimmed, "the body");
                return ReadBody(inner.GetString()!, quoted: true);
            default:
                return ParseJson(DecodeBase64(trimmed), "the base64-decoded body");
        }
    }

    private static string DecodeBase64(string text)
    {
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, buffer, out var length))
        {
            throw new BlobEventFormatException($"$: the body is neither JSON nor base64-encoded JSON (it starts with '{Preview(text)}')");
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(buffer, 0, length).Trim().TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            throw new BlobEventFormatException("$: the body is base64 but what it decodes to is not UTF-8 text", e);
        }

        if (decoded.Length == 0 || decoded[0] is not ('{' or '['))
        {
            throw new BlobEventFormatException($"$: the body is base64 but what it decodes to is not JSON (it starts with '{Preview(decoded)}')");
        }

        return decoded;
    }

    private static JsonElement ParseJson(string text, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new BlobEventFormatException($"$: {what} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The start of <paramref name="text"/>, for messages that quote what they found.</summary>
    internal static string Preview(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

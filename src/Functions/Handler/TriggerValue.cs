using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Duraflow.Functions.Handler;

/// <summary>
/// Unwraps trigger values the way the host may send them (docs/triggers.md, "How Azure invokes us"): strings are
/// serialized once more, so they can arrive JSON-quoted; a queue message may still be base64 when the queue extension does not
/// decode it; a JSON message may arrive as an object rather than as text.
/// </summary>
internal static class TriggerValue
{
    /// <summary>A queue message's text: JSON kept as JSON text, quoted strings unquoted, base64 decoded when it hides JSON.</summary>
    public static string MessageText(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Object or JsonValueKind.Array => value.GetRawText(),
            _ => throw new InvalidInvocationException($"the message is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not text"),
        };

        // Each wrapping at most once or twice; a loop bound keeps a pathological value from spinning.
        for (var i = 0; i < 4; i++)
        {
            var trimmed = text.Trim();
            if (trimmed.StartsWith('"') && TryUnquote(trimmed, out var unquoted))
            {
                text = unquoted;
            }
            else if (!trimmed.StartsWith('{') && !trimmed.StartsWith('[') && TryBase64Text(trimmed, out var decoded))
            {
                text = decoded;
            }
            else
            {
                return text;
            }
        }

        return text;
    }

    /// <summary>A metadata string (an id, a pop receipt), unquoted if the host quoted it; never base64-decoded.</summary>
    public static string? Text(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } v when v.GetString() is { } s => s.StartsWith('"') && TryUnquote(s, out var unquoted) ? unquoted : s,
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        _ => null,
    };

    /// <summary>A metadata number that may arrive as a number or as (quoted) text.</summary>
    public static long? Number(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
        { ValueKind: JsonValueKind.String } => long.TryParse(Text(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null,
        _ => null,
    };

    /// <summary>A value that may be a JSON object or the same object serialized as a (quoted) string.</summary>
    public static JsonElement Object(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var document = JsonDocument.Parse(MessageText(value));
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
                // Reported below.
            }
        }

        throw new InvalidInvocationException($"expected a JSON object, got a JSON {value.ValueKind.ToString().ToLowerInvariant()}");
    }

    private static bool TryUnquote(string text, out string unquoted)
    {
        try
        {
            unquoted = JsonSerializer.Deserialize<string>(text) ?? string.Empty;
            return true;
        }
        catch (JsonException)
        {
            unquoted = text;
            return false;
        }
    }

    private static bool TryBase64Text(string text, out string decoded)
    {
        decoded = text;
        if (text.Length == 0 || !Base64.IsValid(text))
        {
            return false;
        }

        try
        {
            var bytes = Convert.FromBase64String(text);
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);

            // Only JSON counts: a plain word can be valid base64 by accident.
            var start = decoded.TrimStart();
            return start.StartsWith('{') || start.StartsWith('[') || start.StartsWith('"');
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return false;
        }
    }
}

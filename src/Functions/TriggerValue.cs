using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Duraflow.Functions;

/// <summary>
/// Unwraps trigger values the way the host may send them (docs/triggers.md, "How Azure invokes us"): binding data
/// such as a queue message's Id can arrive JSON-quoted, since the host serializes strings once more; a queue message
/// may still be base64 when the queue extension did not decode it.
/// </summary>
internal static class TriggerValue
{
    /// <summary>A queue message's text: JSON kept as it is, quoted strings unquoted, base64 decoded when it hides JSON.</summary>
    /// <param name="message">The message as the trigger delivered it.</param>
    public static string MessageText(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message;

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

    /// <summary>A binding-data string (an id, a pop receipt), unquoted if the host quoted it; never base64-decoded.</summary>
    /// <param name="data">The invocation's binding data.</param>
    /// <param name="name">The entry, in any casing.</param>
    public static string? Text(IReadOnlyDictionary<string, object?> data, string name) => Find(data, name) switch
    {
        string s when s.StartsWith('"') && TryUnquote(s, out var unquoted) => unquoted,
        string s => s,
        IConvertible number and not bool => number.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>A binding-data number that may arrive as a number or as (quoted) text.</summary>
    /// <param name="data">The invocation's binding data.</param>
    /// <param name="name">The entry, in any casing.</param>
    public static long? Number(IReadOnlyDictionary<string, object?> data, string name) => Find(data, name) switch
    {
        int n => n,
        long n => n,
        string => long.TryParse(Text(data, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null,
        _ => null,
    };

    /// <summary>A binding-data time (a queue message's InsertionTime), as an ISO 8601 string, quoted or not; null if absent or unreadable.</summary>
    /// <param name="data">The invocation's binding data.</param>
    /// <param name="name">The entry, in any casing.</param>
    public static DateTimeOffset? Time(IReadOnlyDictionary<string, object?> data, string name) => Find(data, name) switch
    {
        DateTimeOffset time => time,
        DateTime time => new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero),
        string => DateTimeOffset.TryParse(Text(data, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null,
        _ => null,
    };

    // Binding data keys are the host's casing, which is not a documented contract.
    private static object? Find(IReadOnlyDictionary<string, object?> data, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var (key, value) in data)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
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

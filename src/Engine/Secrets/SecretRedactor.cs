using System.Collections.Immutable;
using System.Text.Json;

namespace Duraflow.Engine.Secrets;

/// <summary>
/// Remembers every secret value resolved in this process and replaces it with <c>***</c> in text (block log lines,
/// error messages) and in JSON (block outputs), so secrets do not end up in the run store.
/// </summary>
/// <remarks>
/// Thread-safe: values are remembered and text is redacted from any thread. Values shorter than
/// <see cref="MinimumLength"/> characters are not remembered, since masking every "1" or "on" would garble logs while
/// hiding nothing of worth. Longer values are replaced first, so a secret that contains another is masked whole.
/// </remarks>
internal sealed class SecretRedactor
{
    /// <summary>What a secret value is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Values shorter than this are not redacted.</summary>
    public const int MinimumLength = 4;

    private readonly Lock _gate = new();

    // Longest first; replaced whole on each change, so readers never lock.
    private ImmutableArray<string> _values = [];

    /// <summary>How many distinct values are remembered.</summary>
    public int Count => _values.Length;

    /// <summary>The remembered values, longest first, for redacting where text is not at hand (table files).</summary>
    public IReadOnlyList<string> Values => _values;

    /// <summary>Remembers <paramref name="value"/> so it is redacted from now on; short and known values are ignored.</summary>
    public void Remember(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length < MinimumLength)
        {
            return;
        }

        lock (_gate)
        {
            if (!_values.Contains(value, StringComparer.Ordinal))
            {
                _values = [.. _values.Append(value).OrderByDescending(v => v.Length).ThenBy(v => v, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>
    /// A redactor for one use that knows this one's values as they are now and <paramref name="more"/>, which this one
    /// does not learn: values that belong to one run (its secret parameters) must not mask other runs' data.
    /// </summary>
    public SecretRedactor With(IEnumerable<string> more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var copy = new SecretRedactor { _values = _values };
        foreach (var value in more)
        {
            copy.Remember(value);
        }

        return copy;
    }

    /// <summary><paramref name="text"/> with every remembered value replaced by <see cref="Mask"/>.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = _values;
        foreach (var value in values)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>
    /// <paramref name="json"/> with every remembered value replaced by <see cref="Mask"/> inside its strings and property
    /// names; the same element when it holds none.
    /// </summary>
    public JsonElement Redact(JsonElement json)
    {
        var values = _values;
        if (values.IsEmpty || !Contains(json, values))
        {
            return json;
        }

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, json);
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    private static bool Contains(JsonElement json, ImmutableArray<string> values) => json.ValueKind switch
    {
        JsonValueKind.String => HasAny(json.GetString()!, values),
        JsonValueKind.Array => json.EnumerateArray().Any(item => Contains(item, values)),
        JsonValueKind.Object => json.EnumerateObject().Any(p => HasAny(p.Name, values) || Contains(p.Value, values)),
        _ => false,
    };

    private static bool HasAny(string text, ImmutableArray<string> values) =>
        values.Any(v => text.Contains(v, StringComparison.Ordinal));

    private void Write(Utf8JsonWriter writer, JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                writer.WriteStringValue(Redact(json.GetString()!));
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in json.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in json.EnumerateObject())
                {
                    writer.WritePropertyName(Redact(property.Name));
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            default:
                json.WriteTo(writer);
                break;
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Duraflow.Engine.Definitions;

/// <summary>Converts parameter values written as text (YAML scalars, <c>--param k=v</c>) to their typed form.</summary>
internal static class ParameterValues
{
    // Only ISO 8601, so that a timestamp means the same on every machine whatever its culture.
    private static readonly string[] IsoTimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm",
    ];

    /// <summary>Names of the types as users write them.</summary>
    public static IReadOnlyList<string> TypeNames { get; } = ["string", "int", "number", "bool", "date", "datetime", "json"];

    /// <summary>Converts <paramref name="text"/> to <paramref name="type"/>, or explains what the type accepts.</summary>
    public static bool TryConvert(string text, ParameterType type, out object? value, out string? expected)
    {
        ArgumentNullException.ThrowIfNull(text);
        (value, expected) = type switch
        {
            ParameterType.String => (text, null),
            ParameterType.Int => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                ? (l, null) : (null, "a whole number such as 42"),
            ParameterType.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? (d, null) : ((object?)null, "a number such as 2.5"),
            ParameterType.Bool => bool.TryParse(text, out var b) ? (b, null) : ((object?)null, "true or false"),
            ParameterType.Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? (date, null) : ((object?)null, "a date such as 2026-11-24"),
            ParameterType.DateTime => DateTimeOffset.TryParseExact(text, IsoTimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt)
                ? (dt, null) : ((object?)null, "an ISO 8601 timestamp such as 2026-11-24T06:00:00Z"),
            ParameterType.Json => ParseJson(text),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown parameter type"),
        };
        return expected is null;
    }

    /// <summary>Takes a JSON value as the value of a <see cref="ParameterType.Json"/> parameter.</summary>
    public static bool TryFromJson(System.Text.Json.JsonElement json, out object? value, out string? expected)
    {
        value = JsonNode.Parse(json.GetRawText());
        expected = null;
        return true;
    }

    /// <summary>The name users write for <paramref name="type"/> in <c>parameters.NAME.type</c>.</summary>
    public static string NameOf(ParameterType type) => TypeNames[(int)type];

    private static (object?, string?) ParseJson(string text)
    {
        try
        {
            return (JsonNode.Parse(text), null);
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, "a JSON value such as {\"a\": 1}");
        }
    }
}

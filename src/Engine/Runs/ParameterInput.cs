using System.Text.Json;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Runs;

/// <summary>
/// One parameter value as a caller gave it: text from the command line (<c>--param day=2026-11-24</c>) or a JSON value
/// from an HTTP body. <see cref="RunParameters"/> converts either to the declared type; nothing else reads it.
/// </summary>
internal readonly record struct ParameterInput
{
    private ParameterInput(string? text, JsonElement? json)
    {
        Text = text;
        Json = json;
    }

    /// <summary>The text, for a value given as text.</summary>
    public string? Text { get; }

    /// <summary>The JSON value, for a value given as JSON.</summary>
    public JsonElement? Json { get; }

    /// <summary>How the value reads in a message: the text, a JSON string's content, or other JSON as written.</summary>
    public string Shown => Text ?? (Json is { ValueKind: JsonValueKind.String } s ? s.GetString()! : Json!.Value.GetRawText());

    /// <summary>A value written as text, parsed by its declared type's rules.</summary>
    public static ParameterInput FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ParameterInput(text, null);
    }

    /// <summary>A JSON value. Strings are read like text (a date arrives as <c>"2026-11-24"</c>); numbers and booleans by their JSON type.</summary>
    public static ParameterInput FromJson(JsonElement value) => new(null, value.Clone());

    /// <summary>Converts the value to <paramref name="type"/>, or says what the type accepts.</summary>
    public bool TryConvert(ParameterType type, out object? value, out string? expected)
    {
        if (Text is { } text)
        {
            return ParameterValues.TryConvert(text, type, out value, out expected);
        }

        var json = Json!.Value;
        if (json.ValueKind == JsonValueKind.String)
        {
            return ParameterValues.TryConvert(json.GetString()!, type, out value, out expected);
        }

        // A JSON parameter takes any JSON as it is; the other types read a number or boolean by its JSON text,
        // which is what the same value typed on a command line would be (1e3 is not a whole number, 2.0 is a number).
        return type == ParameterType.Json
            ? ParameterValues.TryFromJson(json, out value, out expected)
            : ParameterValues.TryConvert(json.GetRawText(), type, out value, out expected);
    }
}

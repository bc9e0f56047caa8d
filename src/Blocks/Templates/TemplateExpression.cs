using System.Globalization;
using System.Text.Json;

namespace Duraflow.Blocks.Templates;

/// <summary>
/// One <c>{{ ... }}</c> of a config value or a SQL file: a dotted path such as <c>run.scheduled_time</c> or
/// <c>blocks.count.changed</c>, followed by filters such as <c>| date: 'yyyy-MM-dd'</c>.
/// </summary>
/// <param name="Text">The text between the braces, trimmed.</param>
/// <param name="Segments">The path's segments; the first is the root.</param>
/// <param name="Filters">The filters, applied left to right.</param>
internal sealed record TemplateExpression(string Text, IReadOnlyList<string> Segments, IReadOnlyList<TemplateFilter> Filters)
{
    /// <summary>The root: <c>blocks</c>, <c>params</c>, <c>env</c>, <c>secrets</c>, <c>run</c> or <c>trigger</c>.</summary>
    public string Root => Segments[0];

    /// <summary>The second segment (a block, parameter or secret name).</summary>
    public string Name => Segments.Count > 1 ? Segments[1] : string.Empty;

    /// <summary>True when the expression is just <c>blocks.NAME</c>: a whole block output, not a value inside it.</summary>
    public bool IsWholeBlock => Root == TemplateRoots.Blocks && Segments.Count == 2 && Filters.Count == 0;

    /// <summary>
    /// The value: <paramref name="resolveRoot"/> gives the value of <c>root.name</c>; later segments are looked up
    /// inside it (properties of objects, 0-based indexes of arrays); then the filters run. Missing values are null.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">A filter cannot apply to the value.</exception>
    public JsonElement? Evaluate(Func<string, JsonElement?> resolveRoot)
    {
        ArgumentNullException.ThrowIfNull(resolveRoot);
        var value = resolveRoot($"{Root}.{Name}");
        for (var i = 2; i < Segments.Count && value is { } current; i++)
        {
            value = current.ValueKind switch
            {
                JsonValueKind.Object when current.TryGetProperty(Segments[i], out var property) => property,
                JsonValueKind.Array when int.TryParse(Segments[i], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    && index < current.GetArrayLength() => current[index],
                _ => null,
            };
        }

        foreach (var filter in Filters)
        {
            value = filter.Apply(value, this);
        }

        return value is { ValueKind: JsonValueKind.Null } ? null : value;
    }

    /// <summary>How a value is written into text: strings as they are, null as nothing, the rest as JSON.</summary>
    public static string AsText(JsonElement? value) => value switch
    {
        null => string.Empty,
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { ValueKind: JsonValueKind.Null } => string.Empty,
        { } other => other.GetRawText(),
    };

    /// <summary>A JSON string element.</summary>
    internal static JsonElement String(string text) => BlockJson.ToElement(text);
}

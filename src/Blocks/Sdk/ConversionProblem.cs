using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks;

/// <summary>
/// Says why a value did not convert to the C# type block code asked for, in the terms of the data: the column or
/// field, its value, the property that cannot hold it and what to change ("column amount is null, which
/// Order.Amount (decimal) cannot hold; make it decimal? or filter out the nulls"). System.Text.Json's own message
/// names a JSON path in a buffer the user never saw ("Path: $.amount | LineNumber: 0").
/// </summary>
internal static class ConversionProblem
{
    private const int MaxValueLength = 80;

    /// <summary>What is wrong; <see cref="Row"/> is the 1-based item of a JSON list when the failure is inside one.</summary>
    public sealed record Found(long? Row, string Text);

    /// <summary>
    /// Describes <paramref name="error"/>, raised reading <paramref name="root"/> as <paramref name="target"/>; null
    /// when it points at nothing narrower than the whole value. With <paramref name="columns"/>, the root is one
    /// table row, whose properties are those columns (named in snake_case in it).
    /// </summary>
    public static Found? Describe(JsonException error, JsonElement root, Type target, IReadOnlyList<TableColumn>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(target);
        if (JsonPathSegments.Parse(error.Path) is not { } segments)
        {
            return null;
        }

        long? row = null;
        var value = root;
        var type = BlockJson.Options.GetTypeInfo(target);
        if (segments is [{ Name: null } item, ..] && root.ValueKind == JsonValueKind.Array && item.Index < root.GetArrayLength() && type.ElementType is { } element)
        {
            row = item.Index + 1;
            value = root[item.Index];
            type = BlockJson.Options.GetTypeInfo(element);
            segments = segments[1..];
        }

        var kind = columns is null ? "field" : "column";
        if (segments.Count == 0)
        {
            return Missing(value, type, kind) is { } missing ? new Found(row, missing) : null;
        }

        if (segments[0].Name is not { } first || Walk(value, type, segments) is not { } end)
        {
            return null;
        }

        var column = columns?.FirstOrDefault(c => JsonNamingPolicy.SnakeCaseLower.ConvertName(c.Name) == first);
        var where = $"{kind} {column?.Name ?? first}" + (segments.Count > 1 ? $", at {PathText(segments)}," : "");
        var suggestion = segments.Count == 1 && column is not null ? RowTypes.PropertyTypeFor(column.Type) : Holding(end.Value);
        var fix = end.Value.ValueKind == JsonValueKind.Null
            ? end.Type is { IsValueType: true } nonNullable && Nullable.GetUnderlyingType(nonNullable) is null
                ? $"make it {TypeDisplay.Name(nonNullable)}? or filter out the nulls"
                : "filter out the nulls"
            : suggestion is null || end.Type is null || suggestion == TypeDisplay.Name(end.Type)
                ? "correct the value where it is made"
                : $"make it {suggestion}";
        return new Found(row, $"{where} is {Shown(end.Value)}, which {end.Holder} cannot hold; {fix}");
    }

    /// <summary>Where the path leads: the failing value, the type expected there and who expects it.</summary>
    private static (JsonElement Value, Type? Type, string Holder)? Walk(JsonElement value, JsonTypeInfo type, List<JsonPathSegments.Segment> segments)
    {
        JsonTypeInfo? current = type;
        string? holder = null;
        var expected = type.Type;
        foreach (var segment in segments)
        {
            if (Step(value, segment) is not { } next)
            {
                return null;
            }

            value = next;
            if (segment.Name is { } name && current is { Kind: JsonTypeInfoKind.Object }
                && current.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { } property)
            {
                var member = (property.AttributeProvider as MemberInfo)?.Name ?? property.Name;
                holder = $"{TypeDisplay.Name(current.Type)}.{member} ({TypeDisplay.Name(property.PropertyType)})";
                expected = property.PropertyType;
            }
            else if (current is { Kind: JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary, ElementType: { } element })
            {
                holder = holder is null ? TypeDisplay.Name(element) : $"{TypeDisplay.Name(element)} in {holder}";
                expected = element;
            }
            else
            {
                return null;
            }

            current = BlockJson.Options.GetTypeInfo(expected);
        }

        return holder is null ? null : (value, expected, holder);
    }

    /// <summary>"there is no column amount, which the required Order.Amount needs ...", for a required property left out.</summary>
    private static string? Missing(JsonElement value, JsonTypeInfo type, string kind)
    {
        if (value.ValueKind != JsonValueKind.Object || type.Kind != JsonTypeInfoKind.Object)
        {
            return null;
        }

        var names = value.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return type.Properties.FirstOrDefault(p => p.IsRequired && !names.Contains(p.Name)) is { } property
            ? $"there is no {kind} {property.Name}, which the required {TypeDisplay.Name(type.Type)}.{(property.AttributeProvider as MemberInfo)?.Name ?? property.Name} "
              + $"({TypeDisplay.Name(property.PropertyType)}) needs; add the {kind}, or make the property optional"
            : null;
    }

    private static JsonElement? Step(JsonElement value, JsonPathSegments.Segment segment) =>
        segment.Name is { } name
            ? value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var property) ? property : null
            : value.ValueKind == JsonValueKind.Array && segment.Index < value.GetArrayLength() ? value[segment.Index] : null;

    /// <summary>A C# type that holds <paramref name="value"/>, for the fix.</summary>
    private static string? Holding(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Number when value.TryGetInt64(out _) => "long",
        JsonValueKind.Number when value.TryGetDecimal(out _) => "decimal",
        JsonValueKind.Number => "double",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "a record with its fields, or JsonElement",
        _ => null,
    };

    private static string Shown(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= MaxValueLength ? text : string.Concat(text.AsSpan(0, MaxValueLength - 3), "...");
    }

    private static string PathText(List<JsonPathSegments.Segment> segments)
    {
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.Name is { } name)
            {
                text.Append(text.Length > 0 ? "." : "").Append(name);
            }
            else
            {
                text.Append('[').Append(segment.Index).Append(']');
            }
        }

        return text.ToString();
    }
}

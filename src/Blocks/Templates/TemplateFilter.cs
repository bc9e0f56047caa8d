using System.Globalization;
using System.Text.Json;

namespace Duraflow.Blocks.Templates;

/// <summary>
/// A filter after a template path: <c>date: 'FORMAT'</c> (a .NET date format), <c>default: VALUE</c>,
/// <c>upper</c>, <c>lower</c>, <c>json</c> (the value as JSON text).
/// </summary>
/// <param name="Name">The filter's name.</param>
/// <param name="Argument">The argument after the colon, unquoted, or null.</param>
internal sealed record TemplateFilter(string Name, string? Argument)
{
    /// <summary>The filters a template may use.</summary>
    public static IReadOnlyList<string> Known { get; } = ["date", "default", "upper", "lower", "json"];

    /// <summary>Applies the filter to <paramref name="value"/>, part of <paramref name="expression"/>.</summary>
    /// <exception cref="NonRetryableBlockException">The value does not suit the filter.</exception>
    public JsonElement? Apply(JsonElement? value, TemplateExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return Name switch
        {
            "default" => value is null or { ValueKind: JsonValueKind.Null } || (value?.ValueKind == JsonValueKind.String && value?.GetString() == "")
                ? TemplateExpression.String(Argument ?? string.Empty)
                : value,
            "upper" => value is null ? null : TemplateExpression.String(TemplateExpression.AsText(value).ToUpperInvariant()),
            "lower" => value is null ? null : TemplateExpression.String(TemplateExpression.AsText(value).ToLowerInvariant()),
            "json" => TemplateExpression.String(value?.GetRawText() ?? "null"),
            "date" => value is null ? null : TemplateExpression.String(FormatDate(value.Value, expression)),
            _ => throw new NonRetryableBlockException(
                $"'{{{{ {expression.Text} }}}}': unknown filter '{Name}'; use one of {string.Join(", ", Known)}"),
        };
    }

    private string FormatDate(JsonElement value, TemplateExpression expression)
    {
        var text = TemplateExpression.AsText(value);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new NonRetryableBlockException(
                $"'{{{{ {expression.Text} }}}}': the date filter needs a date or time, but the value is '{text}'");
        }

        try
        {
            return time.ToString(Argument ?? "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        catch (FormatException e)
        {
            throw new NonRetryableBlockException($"'{{{{ {expression.Text} }}}}': '{Argument}' is not a valid date format: {e.Message}", e);
        }
    }
}

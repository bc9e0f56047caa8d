using System.Globalization;
using System.Text.Json;
using Duraflow.Blocks.Templates;

namespace Duraflow.Blocks.Sql;

/// <summary>
/// Turns a SQL file's templates into bound parameters. <c>{{ blocks.NAME }}</c> becomes a relation name chosen by
/// the engine running the query; every other template (<c>params</c>, <c>run</c>, <c>env</c>, <c>secrets</c>, values
/// inside a block's output) becomes a placeholder, and its value travels separately. A value is never spliced into
/// SQL text, so <c>'; drop table x; --</c> in a parameter stays a harmless string.
/// </summary>
internal static class SqlTemplate
{
    /// <summary>Binds the templates of <paramref name="sql"/>.</summary>
    /// <param name="sql">The SQL text as written.</param>
    /// <param name="values">Template values of the attempt.</param>
    /// <param name="parameterTypes">Declared parameter types by name (<c>date</c>, <c>datetime</c>, ...), so dates bind as dates.</param>
    /// <param name="relation">The SQL text that reads a whole upstream block, given its name.</param>
    /// <param name="placeholder">The placeholder for the parameter at a 0-based position: <c>$1</c>, <c>@p0</c>, ...</param>
    /// <exception cref="NonRetryableBlockException">A template is malformed.</exception>
    public static BoundSql Bind(
        string sql,
        TemplateValues values,
        IReadOnlyDictionary<string, string> parameterTypes,
        Func<string, string> relation,
        Func<int, string> placeholder)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(parameterTypes);
        ArgumentNullException.ThrowIfNull(relation);
        ArgumentNullException.ThrowIfNull(placeholder);
        var parameters = new List<object?>();
        var text = TemplateRenderer.Render(sql, expression =>
        {
            if (expression.IsWholeBlock)
            {
                return relation(expression.Name);
            }

            var type = expression.Root == TemplateRoots.Params && expression.Segments.Count == 2 && expression.Filters.Count == 0
                ? parameterTypes.GetValueOrDefault(expression.Name)
                : null;
            parameters.Add(ToParameter(expression.Evaluate(values.Resolve), type));
            return placeholder(parameters.Count - 1);
        });
        return new BoundSql(StripTrailingSemicolon(text), parameters);
    }

    /// <summary>The CLR value a JSON value binds as; a declared date or datetime parameter binds as a date.</summary>
    public static object? ToParameter(JsonElement? value, string? declaredType = null)
    {
        if (value is not { } json)
        {
            return null;
        }

        return json.ValueKind switch
        {
            JsonValueKind.String when declaredType == "date" => DateOnly.Parse(json.GetString()!, CultureInfo.InvariantCulture),
            JsonValueKind.String when declaredType == "datetime" => DateTimeOffset.Parse(json.GetString()!, CultureInfo.InvariantCulture).UtcDateTime,
            JsonValueKind.String => json.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when json.TryGetInt64(out var whole) => whole,
            JsonValueKind.Number => json.GetDecimal(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => json.GetRawText(),
        };
    }

    /// <summary>The query without one trailing <c>;</c>, as a run wraps it (<c>copy (…) to …</c>).</summary>
    internal static string StripTrailingSemicolon(string text)
    {
        var trimmed = text.TrimEnd();
        return trimmed.EndsWith(';') ? trimmed[..^1] : trimmed;
    }
}

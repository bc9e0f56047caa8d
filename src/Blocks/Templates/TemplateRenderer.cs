using System.Text;
using System.Text.Json;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Templates;

/// <summary>
/// Fills in the <c>{{ ... }}</c> templates of config values and SQL files at run time. Each template is parsed into a
/// <see cref="TemplateExpression"/> and the caller decides what replaces it: its value as text (config values), or a
/// bound-parameter placeholder (SQL, so no value is ever spliced into a query).
/// </summary>
internal static class TemplateRenderer
{
    /// <summary>Replaces every template in <paramref name="text"/> with <paramref name="replace"/>'s result.</summary>
    /// <exception cref="NonRetryableBlockException">A template is unclosed or malformed.</exception>
    public static string Render(string text, Func<TemplateExpression, string> replace)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(replace);
        var output = new StringBuilder(text.Length);
        var index = 0;
        while (true)
        {
            var open = text.IndexOf("{{", index, StringComparison.Ordinal);
            if (open < 0)
            {
                return output.Append(text, index, text.Length - index).ToString();
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new NonRetryableBlockException($"'{{{{' at character {open + 1} of '{Shorten(text)}' is never closed; add '}}}}'");
            }

            output.Append(text, index, open - index).Append(replace(Parse(text[(open + 2)..close])));
            index = close + 2;
        }
    }

    /// <summary>Replaces every template with its value written as text.</summary>
    public static string RenderText(string text, Func<string, JsonElement?> resolveRoot) =>
        Render(text, expression => TemplateExpression.AsText(expression.Evaluate(resolveRoot)));

    /// <summary>The expression when <paramref name="text"/> is exactly one template (spaces around it allowed), else null.</summary>
    public static TemplateExpression? AsSingle(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        return trimmed.StartsWith("{{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal)
            && trimmed.IndexOf("{{", 2, StringComparison.Ordinal) < 0
                ? Parse(trimmed[2..^2])
                : null;
    }

    /// <summary>Parses the text between <c>{{</c> and <c>}}</c>.</summary>
    /// <exception cref="NonRetryableBlockException">It is not <c>path | filter: 'arg' | ...</c>.</exception>
    public static TemplateExpression Parse(string inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var parts = SplitOutsideQuotes(inner, '|');
        var path = parts[0].Trim();
        var segments = path.Split('.');
        if (segments.Length < 2 || segments.Any(s => s.Length == 0 || !s.All(c => char.IsLetterOrDigit(c) || c == '_')))
        {
            throw new NonRetryableBlockException($"'{{{{ {inner.Trim()} }}}}': '{path}' is not a path such as params.day or run.id");
        }

        var filters = parts.Skip(1).Select(part => ParseFilter(part, inner)).ToList();
        return new TemplateExpression(inner.Trim(), segments, filters);
    }

    private static TemplateFilter ParseFilter(string part, string inner)
    {
        var colon = SplitOutsideQuotes(part, ':');
        var name = colon[0].Trim();
        if (!TemplateFilter.Known.Contains(name, StringComparer.Ordinal))
        {
            var hint = EditDistance.ClosestMatch(name, TemplateFilter.Known) is { } match ? $" (did you mean '{match}'?)" : "";
            throw new NonRetryableBlockException(
                $"'{{{{ {inner.Trim()} }}}}': unknown filter '{name}'; use one of {string.Join(", ", TemplateFilter.Known)}{hint}");
        }

        if (colon.Count == 1)
        {
            return new TemplateFilter(name, null);
        }

        var argument = string.Join(':', colon.Skip(1)).Trim();
        if (argument.Length >= 2 && argument[0] is '\'' or '"' && argument[^1] == argument[0])
        {
            argument = argument[1..^1];
        }

        return new TemplateFilter(name, argument);
    }

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } open)
            {
                quote = c == open ? null : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == separator && !(separator == '|' && i + 1 < text.Length && text[i + 1] == '|'))
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}

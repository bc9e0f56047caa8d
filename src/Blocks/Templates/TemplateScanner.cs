using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Templates;

/// <summary>
/// Finds the references inside <c>{{ ... }}</c> templates without evaluating them. Used on SQL files,
/// <c>with</c> values and <c>when</c> expressions, so dependencies and typos show up before a run.
/// </summary>
/// <remarks>
/// Inside a template, every dotted path (<c>a.b</c>) must start with a known root; bare words are allowed because
/// expressions use them for operators, literals and filters (<c>and</c>, <c>true</c>, <c>| date: 'yyyy'</c>).
/// Text in single or double quotes is skipped.
/// </remarks>
internal static class TemplateScanner
{
    /// <summary>The result of one scan.</summary>
    /// <param name="References">Every root-qualified path found, in text order.</param>
    /// <param name="Problems">Unclosed templates, unknown roots and roots used without a name.</param>
    public sealed record ScanResult(IReadOnlyList<TemplateReference> References, IReadOnlyList<TemplateProblem> Problems);

    /// <summary>Scans <paramref name="text"/> and reports positions relative to its first character.</summary>
    /// <param name="text">The text with templates.</param>
    /// <param name="values">
    /// True for text whose templates are values (settings, SQL files, cache keys): each template must also be a path
    /// with known filters, as the run will parse it. False for a <c>when</c> condition, which has operators.
    /// </param>
    /// <param name="valueRoot">
    /// A name that stands for a whole value in this text, alone or with a path after it, and is no reference to
    /// another block or parameter: <c>output</c> in a <c>repeat.until</c>. Null elsewhere.
    /// </param>
    public static ScanResult Scan(string text, bool values = true, string? valueRoot = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var references = new List<TemplateReference>();
        var problems = new List<TemplateProblem>();
        var lines = new LineMap(text);
        var index = 0;
        while ((index = text.IndexOf("{{", index, StringComparison.Ordinal)) >= 0)
        {
            var close = text.IndexOf("}}", index + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                problems.Add(new TemplateProblem("'{{' is never closed; add '}}' after the expression", lines.PositionOf(index)));
                break;
            }

            var before = problems.Count;
            ScanExpression(text, index + 2, close, lines, valueRoot, references, problems);
            if (values && problems.Count == before)
            {
                CheckValue(text[(index + 2)..close], lines.PositionOf(index), problems);
            }

            index = close + 2;
        }

        return new ScanResult(references, problems);
    }

    private static void ScanExpression(
        string text, int start, int end, LineMap lines, string? valueRoot, List<TemplateReference> references, List<TemplateProblem> problems)
    {
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (c is '\'' or '"')
            {
                var closing = text.IndexOf(c, i + 1);
                i = closing < 0 || closing > end ? end : closing + 1;
                continue;
            }

            if (!IsIdentifierStart(c) || (i > start && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '_')))
            {
                i++;
                continue;
            }

            var pathStart = i;
            while (i < end && (IsIdentifierPart(text[i]) || (text[i] == '.' && i + 1 < end && IsIdentifierStart(text[i + 1]))))
            {
                i++;
            }

            Classify(text[pathStart..i], lines.PositionOf(pathStart), valueRoot, references, problems);
        }
    }

    private static void Classify(
        string path, TextPosition position, string? valueRoot, List<TemplateReference> references, List<TemplateProblem> problems)
    {
        var segments = path.Split('.');
        var root = segments[0];
        if (root == valueRoot)
        {
            return;
        }

        var known = TemplateRoots.All.Contains(root, StringComparer.Ordinal);
        if (segments.Length == 1)
        {
            if (known)
            {
                problems.Add(new TemplateProblem($"'{root}' needs a name after it, as in '{root}.NAME'", position));
            }

            return;
        }

        if (!known)
        {
            IReadOnlyList<string> roots = valueRoot is null ? TemplateRoots.All : [.. TemplateRoots.All, valueRoot];
            var hint = EditDistance.ClosestMatch(root, roots) is { } match ? $" (did you mean '{match}'?)" : string.Empty;
            problems.Add(new TemplateProblem(
                $"unknown template root '{root}' in '{path}'; use one of {string.Join(", ", roots)}{hint}", position));
            return;
        }

        references.Add(new TemplateReference(root, segments[1], path, position));
    }

    // The run parses each template with TemplateRenderer; what it would refuse is refused now.
    private static void CheckValue(string inner, TextPosition position, List<TemplateProblem> problems)
    {
        try
        {
            TemplateRenderer.Parse(inner);
        }
        catch (NonRetryableBlockException e)
        {
            problems.Add(new TemplateProblem(e.Message, position));
        }
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';
}

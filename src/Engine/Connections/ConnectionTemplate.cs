using System.Text;
using Duraflow.Blocks.Text;

namespace Duraflow.Engine.Connections;

/// <summary>
/// The templates an io_config.yaml value may hold: only <c>{{ env.NAME }}</c> and <c>{{ secrets.NAME }}</c>, each a
/// single path with no filters or expressions, because a connection is resolved before any run data exists.
/// </summary>
internal static class ConnectionTemplate
{
    public const string Env = "env";
    public const string Secrets = "secrets";

    private static readonly string[] Roots = [Env, Secrets];

    /// <summary>One piece of a value: literal text, or a reference to resolve (<see cref="Root"/> is then set).</summary>
    /// <param name="Text">The literal text, or the reference as written between the braces.</param>
    /// <param name="Root">Null for literal text; <c>env</c> or <c>secrets</c> for a reference.</param>
    /// <param name="Name">The variable or secret name of a reference.</param>
    public readonly record struct Part(string Text, string? Root, string Name);

    /// <summary>A template that cannot be used here, at a 0-based offset into the value.</summary>
    public readonly record struct Problem(int Offset, string Message);

    /// <summary>Splits <paramref name="text"/> into literal text and references, and lists every problem.</summary>
    public static (IReadOnlyList<Part> Parts, IReadOnlyList<Problem> Problems) Parse(string text)
    {
        var parts = new List<Part>();
        var problems = new List<Problem>();
        var index = 0;
        while (index < text.Length)
        {
            var open = text.IndexOf("{{", index, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(new Part(text[index..], null, string.Empty));
                break;
            }

            if (open > index)
            {
                parts.Add(new Part(text[index..open], null, string.Empty));
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                problems.Add(new Problem(open, "'{{' is never closed; add '}}' after the name, as in {{ env.NAME }}"));
                break;
            }

            var inner = text[(open + 2)..close];
            var start = open + 2 + (inner.Length - inner.TrimStart().Length);
            if (Classify(inner.Trim()) is { } problem)
            {
                problems.Add(new Problem(start, problem));
            }
            else
            {
                var path = inner.Trim();
                var dot = path.IndexOf('.', StringComparison.Ordinal);
                parts.Add(new Part(path, path[..dot], path[(dot + 1)..]));
            }

            index = close + 2;
        }

        return (parts, problems);
    }

    /// <summary>The value with every reference replaced by what <paramref name="resolve"/> returns for it.</summary>
    public static async Task<string> RenderAsync(IReadOnlyList<Part> parts, Func<Part, Task<string>> resolve)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part.Root is null ? part.Text : await resolve(part).ConfigureAwait(false));
        }

        return text.ToString();
    }

    /// <summary>True when the text holds a template at all (then it is checked at run time, not at validation).</summary>
    public static bool HasTemplate(string text) => text.Contains("{{", StringComparison.Ordinal);

    // Null when the expression is one env or secrets path; otherwise what is wrong with it.
    private static string? Classify(string expression)
    {
        const string Usage = "io_config.yaml values may use only {{ env.NAME }} and {{ secrets.NAME }}";
        if (expression.Length == 0)
        {
            return $"empty template; {Usage}";
        }

        var dot = expression.IndexOf('.', StringComparison.Ordinal);
        var root = dot < 0 ? expression : expression[..dot];
        var name = dot < 0 ? string.Empty : expression[(dot + 1)..];
        if (!IsIdentifier(root))
        {
            return $"'{{{{ {expression} }}}}' is not a name; {Usage} (no filters or expressions)";
        }

        if (!Roots.Contains(root, StringComparer.Ordinal))
        {
            var hint = EditDistance.ClosestMatch(root, Roots) is { } match ? $"did you mean '{match}'? " : string.Empty;
            return $"'{root}' cannot be used in io_config.yaml; {hint}{Usage}: connections are resolved before a run has blocks, parameters or a trigger";
        }

        if (name.Length == 0)
        {
            return $"'{root}' needs a name after it, as in {{{{ {root}.NAME }}}}";
        }

        return IsIdentifier(name)
            ? null
            : $"'{{{{ {expression} }}}}' is not a single name; {Usage}, where NAME is letters, digits and underscores (no filters or expressions)";
    }

    private static bool IsIdentifier(string text) =>
        text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] == '_') && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}

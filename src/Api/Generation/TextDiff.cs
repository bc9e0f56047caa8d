using System.Globalization;
using System.Text;

namespace Duraflow.Api.Generation;

/// <summary>
/// A unified diff of one file, as <c>git diff</c> prints it: the lines that differ between the common start and the
/// common end of the two texts, with three lines of context. Generation adds or inserts; one hunk shows it.
/// </summary>
internal static class TextDiff
{
    private const int Context = 3;

    /// <summary>The diff of <paramref name="path"/> from <paramref name="before"/> (null for a new file) to <paramref name="after"/>.</summary>
    public static string Of(string path, string? before, string after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var old = Lines(before);
        var now = Lines(after);
        var prefix = 0;
        while (prefix < old.Length && prefix < now.Length && old[prefix] == now[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < old.Length - prefix && suffix < now.Length - prefix && old[^(suffix + 1)] == now[^(suffix + 1)])
        {
            suffix++;
        }

        var text = new StringBuilder()
            .Append("--- ").AppendLine(before is null ? "/dev/null" : "a/" + path)
            .Append("+++ b/").AppendLine(path);
        if (prefix == old.Length && prefix == now.Length)
        {
            return text.ToString();
        }

        var from = Math.Max(0, prefix - Context);
        var oldTo = Math.Min(old.Length, old.Length - suffix + Context);
        var newTo = Math.Min(now.Length, now.Length - suffix + Context);
        text.Append(CultureInfo.InvariantCulture, $"@@ -{Range(from, oldTo)} +{Range(from, newTo)} @@").AppendLine();
        for (var i = from; i < prefix; i++)
        {
            text.Append(' ').AppendLine(old[i]);
        }

        for (var i = prefix; i < old.Length - suffix; i++)
        {
            text.Append('-').AppendLine(old[i]);
        }

        for (var i = prefix; i < now.Length - suffix; i++)
        {
            text.Append('+').AppendLine(now[i]);
        }

        for (var i = now.Length - suffix; i < newTo; i++)
        {
            text.Append(' ').AppendLine(now[i]);
        }

        return text.ToString();
    }

    // A unified diff's range: first line (1-based) and count; an empty range names the line before it.
    private static string Range(int from, int to) =>
        to - from == 0 ? $"{from},0" : string.Create(CultureInfo.InvariantCulture, $"{from + 1},{to - from}");

    private static string[] Lines(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}

using System.Text.RegularExpressions;

namespace Duraflow.Api.Generation;

/// <summary>Takes the file out of a model's answer: the first fenced code block, else the whole answer when it has no fence.</summary>
internal static partial class AnswerCode
{
    /// <summary>The largest file taken from an answer; a block's file is a page or two.</summary>
    public const int MaxChars = 200_000;

    /// <summary>
    /// The file's text, ending in a newline, or the problem to send back. Of several fenced blocks, the first tagged
    /// with <paramref name="kind"/>'s language is taken (an answer may show a YAML snippet before the file), else the
    /// first without a tag, else the first.
    /// </summary>
    public static (string? Code, string? Problem) Extract(string? answer, GeneratedKind kind)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return (null, "your answer was empty; answer with the whole file in one fenced code block");
        }

        Match? fence;
        try
        {
            var fences = Fenced().Matches(answer).ToList();
            var tags = kind == GeneratedKind.Script ? CSharpTags : SqlTags;
            fence = fences.FirstOrDefault(f => tags.Contains(f.Groups["tag"].Value.Trim().Split(' ')[0], StringComparer.OrdinalIgnoreCase))
                ?? fences.FirstOrDefault(f => f.Groups["tag"].Value.Trim().Length == 0)
                ?? fences.FirstOrDefault();
        }
        catch (RegexMatchTimeoutException)
        {
            return (null, "your answer could not be read; answer with the whole file in one fenced code block and nothing else");
        }

        var code = fence is not null ? fence.Groups["code"].Value : answer;
        if (code.Length > MaxChars)
        {
            return (null, $"your file has {code.Length} characters; a block's file must be at most {MaxChars}");
        }

        if (code.Contains('\0', StringComparison.Ordinal))
        {
            return (null, "your file holds a NUL character; write plain text");
        }

        code = code.ReplaceLineEndings("\n").Trim('\n');
        return code.Trim().Length == 0
            ? (null, "your code block was empty; write the whole file in it")
            : (code + "\n", null);
    }

    private static readonly string[] CSharpTags = ["csharp", "cs", "c#", "csx"];
    private static readonly string[] SqlTags = ["sql", "duckdb", "postgresql", "postgres"];

    // ``` or ~~~ with an optional language tag, up to the same fence on a line of its own.
    [GeneratedRegex(@"^[ \t]*(?<fence>```|~~~)(?<tag>[^\n]*)\n(?<code>.*?)\n?[ \t]*\k<fence>[ \t]*$", RegexOptions.Singleline | RegexOptions.Multiline, matchTimeoutMilliseconds: 2_000)]
    private static partial Regex Fenced();
}

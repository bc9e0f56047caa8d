using System.Text.RegularExpressions;
using Duraflow.Blocks;
using Duraflow.Engine.Loading;

namespace Duraflow.Engine.Validation;

/// <summary>
/// The files a C# script brings in with <c>#load "path"</c>, relative to the script's folder as the compiler resolves
/// them. They are not pinned in a run's plan, so what depends on a script's whole code (its cache key, whether it uses
/// checkpoints) reads them from the project.
/// </summary>
internal static partial class ScriptLoads
{
    /// <summary>
    /// Each <c>#load</c> of <paramref name="script"/> (at <paramref name="scriptPath"/>, a full path) as written (relative
    /// to the file that loads it), its full path, and its text, or null when it cannot be read here: missing, outside
    /// <paramref name="projectRoot"/> (the compiler refuses both), a device or far too large. Only a definition-sized
    /// file inside the project is ever read.
    /// </summary>
    public static IEnumerable<(string Written, string Path, string? Text)> Of(string script, string scriptPath, string projectRoot)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(scriptPath);
        var seen = new HashSet<string>(StringComparer.Ordinal) { Path.GetFullPath(scriptPath) };
        return Walk(script, scriptPath, projectRoot, seen, depth: 0);
    }

    // Helpers #load helpers too, each read once, to a depth no project needs; a cycle stops where it closes.
    private static IEnumerable<(string Written, string Path, string? Text)> Walk(string script, string scriptPath, string projectRoot, HashSet<string> seen, int depth)
    {
        var folder = Path.GetDirectoryName(scriptPath)!;
        foreach (Match directive in LoadDirective().Matches(script))
        {
            var written = directive.Groups["path"].Value;
            var path = Path.GetFullPath(Path.Combine(folder, written));
            if (!seen.Add(path))
            {
                continue;
            }

            var text = Read(path, projectRoot);
            yield return (written, path, text);
            if (text is not null && depth < MaxDepth)
            {
                foreach (var nested in Walk(text, path, projectRoot, seen, depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    private const int MaxDepth = 8;

    private static string? Read(string path, string projectRoot)
    {
        try
        {
            return File.Exists(path) && LocalPaths.Outside(path, [projectRoot]) is null ? DefinitionFile.ReadText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="script"/> has a <c>#load</c> directive.</summary>
    public static bool Any(string script) => LoadDirective().IsMatch(script);

    [GeneratedRegex("""^\s*#load\s+"(?<path>[^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex LoadDirective();
}

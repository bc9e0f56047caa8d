using System.Security.Cryptography;
using System.Text;
using Duraflow.Blocks.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Duraflow.Blocks.Scripts;

/// <summary>
/// One script to compile: its text, the path it is shown under (relative to the project folder) and the project
/// folder its <c>#load</c> directives may not leave. Works out, once, whether it has directives and what key the
/// compiler caches it under.
/// </summary>
internal sealed class ScriptSource
{
    private static readonly CSharpParseOptions ParseOptions = new(kind: SourceCodeKind.Script);

    private readonly Lazy<Directives> _directives;
    private string? _key;

    public ScriptSource(string displayPath, string code, string? projectRoot)
    {
        DisplayPath = displayPath;
        Code = code;
        Resolver = new ProjectSourceResolver(projectRoot ?? Directory.GetCurrentDirectory());
        _directives = new(() => Parse(code));
    }

    /// <summary>The path errors and stack traces name, e.g. <c>pipelines/orders/blocks/clean.csx</c>.</summary>
    public string DisplayPath { get; }

    /// <summary>The script's text.</summary>
    public string Code { get; }

    /// <summary>Finds <c>#load</c> files relative to the script's folder, inside the project only.</summary>
    public ProjectSourceResolver Resolver { get; }

    /// <summary>True when the script has <c>#r</c> or <c>#load</c> directives, which bring in other files.</summary>
    public bool HasDirectives => _directives.Value.Loads.Count > 0 || _directives.Value.HasReferences;

    /// <summary>
    /// What the compiler caches the script under: the hash of its text; for a script with directives also the
    /// project, its path and the text of each file it loads, since the same text elsewhere loads other files.
    /// </summary>
    public string Key => _key ??= ComputeKey();

    /// <summary>How errors name a file the script loads: relative to the project when it is inside, else as it is.</summary>
    public string Shown(string path)
    {
        if (!Path.IsPathRooted(path))
        {
            return path;
        }

        var relative = Path.GetRelativePath(Resolver.ProjectRoot, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative.Replace('\\', '/');
    }

    /// <summary>One error per <c>#load</c> that leads out of the project folder, where the directive is written.</summary>
    public List<ScriptError> LoadErrors()
    {
        var errors = new List<ScriptError>();
        foreach (var (path, position) in _directives.Value.Loads)
        {
            if (Resolver.ResolveAnywhere(path, DisplayPath) is { } resolved && LocalPaths.Outside(resolved, [Resolver.ProjectRoot]) is { } real)
            {
                errors.Add(new ScriptError(DisplayPath, position, "#load",
                    $"'{path}' leads to {real}, outside the project folder; keep the scripts a block loads inside the project"));
            }
        }

        return errors;
    }

    private string ComputeKey()
    {
        var text = new StringBuilder(Code);
        if (HasDirectives)
        {
            text.Append('\0').Append(Resolver.ProjectRoot).Append('\0').Append(DisplayPath);
            foreach (var loaded in LoadedTexts())
            {
                text.Append('\0').Append(loaded);
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    // Every file the script loads, directly or through another loaded file, each once, in the order met: an edit to any
    // of them must compile the script again. A file that cannot be read adds nothing; compiling reports it.
    private List<string> LoadedTexts()
    {
        var texts = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<(string Path, string From)>(_directives.Value.Loads.Select(l => (l.Path, DisplayPath)));
        while (pending.TryDequeue(out var next))
        {
            if (Resolver.ResolveReference(next.Path, next.From) is not { } resolved || !seen.Add(resolved))
            {
                continue;
            }

            try
            {
                var loaded = File.ReadAllText(resolved);
                texts.Add(loaded);
                foreach (var (path, _) in Parse(loaded).Loads)
                {
                    pending.Enqueue((path, resolved));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                texts.Add(string.Empty);
            }
        }

        return texts;
    }

    private static Directives Parse(string code)
    {
        // Most scripts contain neither text, and then parsing is not needed.
        if (!code.Contains("#r", StringComparison.Ordinal) && !code.Contains("#load", StringComparison.Ordinal))
        {
            return new Directives([], false);
        }

        var root = CSharpSyntaxTree.ParseText(code, ParseOptions).GetCompilationUnitRoot();
        var loads = root.GetLoadDirectives()
            .Select(d => (d.File.ValueText, Position(d.File.GetLocation())))
            .ToList();
        return new Directives(loads, root.GetReferenceDirectives().Count > 0);
    }

    private static TextPosition Position(Location location)
    {
        var start = location.GetLineSpan().StartLinePosition;
        return new TextPosition(start.Line + 1, start.Character + 1);
    }

    private sealed record Directives(IReadOnlyList<(string Path, TextPosition Position)> Loads, bool HasReferences);
}

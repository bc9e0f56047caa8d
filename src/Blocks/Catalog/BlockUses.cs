using System.Text.RegularExpressions;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Catalog;

/// <summary>The parsed <c>uses:</c> value of a block: its kind and target (a path, a type name or a built-in id).</summary>
/// <param name="Kind">Which kind of block this is.</param>
/// <param name="Target">The file path, type name or built-in id after the scheme.</param>
internal sealed partial record BlockUses(BlockKind Kind, string Target)
{
    /// <summary>True when the target is a file next to the pipeline (scripts and SQL).</summary>
    public bool IsFile => Kind is BlockKind.Script or BlockKind.Sql;

    /// <summary>True for a durable wait (<c>wait.for</c>, <c>wait.until</c>, <c>wait.signal</c>, <c>wait.approval</c>), which runs no code while it waits.</summary>
    public bool IsWait => Kind == BlockKind.BuiltIn && BuiltIns.WaitBlocks.IsWait(Target);

    /// <summary>Parses a <c>uses:</c> value, or explains what a valid one looks like.</summary>
    /// <param name="value">The value as written in pipeline.yaml.</param>
    /// <param name="uses">The parsed value when it is valid.</param>
    /// <param name="error">A message naming the fix when it is not.</param>
    public static bool TryParse(string value, out BlockUses? uses, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        uses = null;
        error = null;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            if (BuiltInBlocks.Find(value) is not null)
            {
                uses = new BlockUses(BlockKind.BuiltIn, value);
                return true;
            }

            var hint = EditDistance.DidYouMean(value, BuiltInBlocks.All.Select(b => b.Id));
            error = $"unknown block type '{value}'; {hint}use script:PATH.csx, sql:PATH.sql, class:Full.Type.Name "
                + $"or a built-in ({string.Join(", ", BuiltInBlocks.All.Select(b => b.Id))})";
            return false;
        }

        var scheme = value[..colon];
        var target = value[(colon + 1)..].Trim();
        (uses, error) = scheme switch
        {
            "script" => File(BlockKind.Script, target, ".csx", "script:blocks/clean.csx"),
            "sql" => File(BlockKind.Sql, target, ".sql", "sql:sql/daily_totals.sql"),
            "class" => TypeNamePattern().IsMatch(target)
                ? (new BlockUses(BlockKind.Class, target), null)
                : (null, $"'{target}' is not a full type name; write class:Namespace.TypeName"),
            "pipeline" => PipelineNamePattern().IsMatch(target)
                ? (new BlockUses(BlockKind.Pipeline, target), null)
                : (null, $"'{target}' is not a pipeline name; write pipeline:NAME with the name of another pipeline of the project, such as pipeline:load_region"),
            _ => (null, $"unknown scheme '{scheme}:' in '{value}'; use script:, sql:, class: or pipeline:"
                + (EditDistance.ClosestMatch(scheme, ["script", "sql", "class", "pipeline"]) is { } m ? $" (did you mean '{m}:'?)" : string.Empty)),
        };
        return uses is not null;
    }

    private static (BlockUses?, string?) File(BlockKind kind, string path, string extension, string example)
    {
        if (path.Length == 0)
        {
            return (null, $"a path is missing after '{kind.ToString().ToLowerInvariant()}:'; write for example {example}");
        }

        if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"'{path}' must be a {extension} file; write for example {example}");
        }

        if (path.Any(char.IsControl))
        {
            return (null, $"'{path}' contains a control character; write a plain relative path");
        }

        if (Path.IsPathRooted(path) || path.Split('/', '\\').Contains(".."))
        {
            return (null, $"'{path}' must be a relative path inside the pipeline folder, without '..'");
        }

        return (new BlockUses(kind, path), null);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        BlockKind.Script => $"script:{Target}",
        BlockKind.Sql => $"sql:{Target}",
        BlockKind.Class => $"class:{Target}",
        BlockKind.Pipeline => $"pipeline:{Target}",
        _ => Target,
    };

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+(,\s*[A-Za-z_][A-Za-z0-9_.]*)?$")]
    private static partial Regex TypeNamePattern();

    // The rule of pipeline names (Engine's Names), which this layer cannot see.
    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,62}\z")]
    private static partial Regex PipelineNamePattern();
}

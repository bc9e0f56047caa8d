using Duraflow.Blocks.Settings;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// A file reader's <c>with.incremental</c>: <c>{ by: files }</c> reads only the files (or blobs) that are newer than
/// the last successful run's, by last-modified time and then name; <c>{ by: column, column: id }</c> reads only the
/// rows whose column is above the highest one read before. The watermark is a pipeline checkpoint, named for the block
/// unless <c>checkpoint:</c> names it, committed when the run succeeds, so each new file or row is read once.
/// </summary>
/// <param name="ByFiles">True for <c>by: files</c>, false for <c>by: column</c>.</param>
/// <param name="Column">The column for <c>by: column</c>.</param>
/// <param name="Checkpoint">The checkpoint holding the watermark.</param>
internal sealed record IncrementalRead(bool ByFiles, string? Column, string Checkpoint)
{
    /// <summary>The setting's name under <c>with:</c>.</summary>
    public const string Setting = "incremental";

    /// <summary>The setting as the file readers list it.</summary>
    public static readonly ConfigField Field = new(Setting, ConfigKind.Map,
        "Read only what is new since the last successful run: { by: files } (newer files, by last-modified time and name) or { by: column, column: id } (rows above the last id read); checkpoint: NAME names the watermark (default: the block's name)");

    /// <summary>The keys the setting takes.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["by", "column", "checkpoint"];

    /// <summary>The block's incremental setting, or null when it reads everything each time.</summary>
    /// <exception cref="NonRetryableBlockException">The setting is malformed.</exception>
    public static IncrementalRead? From(BlockSettings settings, BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        var map = settings.Map(Setting);
        if (map.Count == 0)
        {
            return null;
        }

        return Problem(map) is { } problem
            ? throw new NonRetryableBlockException($"block {context.Block} ({settings.Owner}): with.incremental {problem}")
            : new IncrementalRead(map["by"] == "files", map.GetValueOrDefault("column"), map.GetValueOrDefault("checkpoint") ?? context.Block);
    }

    /// <summary>Why <paramref name="map"/> is not an incremental setting, or null when it is one.</summary>
    public static string? Problem(IReadOnlyDictionary<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Keys.FirstOrDefault(k => !Keys.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            return $"has no key '{unknown}'; it takes by, column and checkpoint, as in {{ by: column, column: id }}";
        }

        var by = map.GetValueOrDefault("by");
        var column = map.GetValueOrDefault("column");
        return by switch
        {
            null => "needs by: files (read newer files) or by: column (read rows above the last value of a column)",
            "files" when column is not null => "reads whole files with by: files, so it takes no column; use by: column to filter rows",
            "files" => CheckpointProblem(map),
            "column" when string.IsNullOrWhiteSpace(column) => "needs a column with by: column, as in { by: column, column: id }",
            "column" => CheckpointProblem(map),
            _ => $"by must be files or column, not '{by}'",
        };
    }

    private static string? CheckpointProblem(IReadOnlyDictionary<string, string> map) =>
        map.TryGetValue("checkpoint", out var name) && CheckpointNames.Problem(name) is { } problem ? $"checkpoint name {problem}" : null;
}

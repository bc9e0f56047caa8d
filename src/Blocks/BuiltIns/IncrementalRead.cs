using Duraflow.Blocks.Settings;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// A file reader's <c>with.incremental</c>: <c>{ by: files }</c> reads only the files (or blobs) that are newer than
/// the last successful run's, by last-modified time and then name; <c>{ by: column, column: id }</c> reads only the
/// rows whose column is above the highest one read before. The watermark is a pipeline checkpoint, named for the block
/// unless <c>checkpoint:</c> names it, committed when the run succeeds, so each new file or row is read once. A
/// file modified within <c>settle</c> (5 s unless given) of the read waits for the next run.
/// </summary>
/// <param name="ByFiles">True for <c>by: files</c>, false for <c>by: column</c>.</param>
/// <param name="Column">The column for <c>by: column</c>.</param>
/// <param name="Checkpoint">The checkpoint holding the watermark.</param>
/// <param name="Settle">For <c>by: files</c>: files modified more recently than this wait for the next run.</param>
internal sealed record IncrementalRead(bool ByFiles, string? Column, string Checkpoint, TimeSpan Settle)
{
    /// <summary>
    /// How long a file must have been left alone before <c>by: files</c> reads it, unless <c>settle:</c> says
    /// otherwise: a file still being written is not read half, and blobs, whose times count whole seconds, that land
    /// in the second of the newest one read are not passed over.
    /// </summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(5);

    /// <summary>The setting's name under <c>with:</c>.</summary>
    public const string Setting = "incremental";

    /// <summary>The setting as the file readers list it.</summary>
    public static readonly ConfigField Field = new(Setting, ConfigKind.Map,
        "Read only what is new since the last successful run: { by: files } (newer files, by last-modified time and name; settle: 5s leaves files modified since for the next run) or { by: column, column: id } (rows above the last id read); checkpoint: NAME names the watermark (default: the block's name)");

    /// <summary>The keys the setting takes.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["by", "column", "checkpoint", "settle"];

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
            : new IncrementalRead(map["by"] == "files", map.GetValueOrDefault("column"), map.GetValueOrDefault("checkpoint") ?? context.Block,
                map.TryGetValue("settle", out var settle) ? SettleOf(settle)!.Value : DefaultSettle);
    }

    /// <summary>Why <paramref name="map"/> is not an incremental setting, or null when it is one.</summary>
    public static string? Problem(IReadOnlyDictionary<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Keys.FirstOrDefault(k => !Keys.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            return $"has no key '{unknown}'; it takes by, column, checkpoint and settle, as in {{ by: column, column: id }}";
        }

        var by = map.GetValueOrDefault("by");
        var column = map.GetValueOrDefault("column");
        return by switch
        {
            null => "needs by: files (read newer files) or by: column (read rows above the last value of a column)",
            "files" when column is not null => "reads whole files with by: files, so it takes no column; use by: column to filter rows",
            "files" when map.TryGetValue("settle", out var settle) && SettleOf(settle) is null =>
                $"settle must be a duration from 0s to 1h, such as 5s or 2m, not '{settle}'",
            "files" => CheckpointProblem(map),
            "column" when string.IsNullOrWhiteSpace(column) => "needs a column with by: column, as in { by: column, column: id }",
            "column" when map.ContainsKey("settle") => "settle waits for files to be left alone, which only by: files reads; by: column reads every file each time",
            "column" => CheckpointProblem(map),
            _ => $"by must be files or column, not '{by}'",
        };
    }

    private static TimeSpan? SettleOf(string text) =>
        text.Trim() is "0" or "0s" ? TimeSpan.Zero
        : Text.Duration.TryParse(text, out var settle) && settle > TimeSpan.Zero && settle <= TimeSpan.FromHours(1) ? settle
        : null;

    private static string? CheckpointProblem(IReadOnlyDictionary<string, string> map) =>
        map.TryGetValue("checkpoint", out var name) && CheckpointLimits.NameProblem(name) is { } problem ? $"checkpoint name {problem}" : null;
}

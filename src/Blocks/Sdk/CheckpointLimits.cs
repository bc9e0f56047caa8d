namespace Duraflow.Blocks;

/// <summary>
/// What a checkpoint may be called and hold, the same for scripts, SQL blocks, file readers, the CLI and the API: a
/// checkpoint is a watermark, so it stays small enough for every store (an Azure table property holds 32K characters).
/// </summary>
internal static class CheckpointLimits
{
    /// <summary>The longest checkpoint name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The largest checkpoint value, as JSON text in UTF-8 bytes.</summary>
    public const int MaxValueBytes = 16 * 1024;

    /// <summary>Why <paramref name="name"/> is not a checkpoint name, or null when it is one.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength ? $"must be 1 to {MaxNameLength} characters, not blank"
        : name.Any(char.IsControl) ? "may not hold control characters (line breaks, tabs, escapes)"
        : null;

    /// <summary>Why <paramref name="jsonText"/> is too large for a checkpoint value, or null when it fits.</summary>
    public static string? ValueProblem(string jsonText) =>
        System.Text.Encoding.UTF8.GetByteCount(jsonText) > MaxValueBytes
            ? $"is larger than {MaxValueBytes} bytes as JSON; a checkpoint holds a watermark (the last id or time read), not data"
            : null;
}

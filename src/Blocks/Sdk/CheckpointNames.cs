namespace Duraflow.Blocks;

/// <summary>What a checkpoint may be called, the same for scripts, SQL blocks, the CLI and the API.</summary>
internal static class CheckpointNames
{
    /// <summary>The longest checkpoint name.</summary>
    public const int MaxLength = 200;

    /// <summary>Why <paramref name="name"/> is not a checkpoint name, or null when it is one.</summary>
    public static string? Problem(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > MaxLength ? $"must be 1 to {MaxLength} characters, not blank"
        : name.Any(char.IsControl) ? "may not hold control characters (line breaks, tabs, escapes)"
        : null;
}

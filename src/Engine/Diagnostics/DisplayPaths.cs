namespace Duraflow.Engine.Diagnostics;

/// <summary>Names files in messages the way the user would type them: relative to the current folder when inside it.</summary>
internal static class DisplayPaths
{
    /// <summary>
    /// The path relative to <paramref name="relativeTo"/> (default: the current directory), or the full path when it
    /// lies outside.
    /// </summary>
    public static string For(string path, string? relativeTo = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(relativeTo ?? Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }
}

using Duraflow.Blocks.Settings;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// Where a file block reads or writes: a path on this machine, relative to the project folder unless absolute.
/// Reads may use globs (<c>landing/*.csv</c>). Writes land whole: the file is written beside its target and renamed.
/// </summary>
internal sealed class FileLocation
{
    private FileLocation(string path, string display)
    {
        Path = path;
        Display = display;
    }

    /// <summary>The full local path.</summary>
    public string Path { get; }

    /// <summary>The path as the pipeline wrote it, for logs and outputs.</summary>
    public string Display { get; }

    /// <summary>The location of setting <c>path</c> in <paramref name="settings"/>.</summary>
    public static FileLocation From(BlockSettings settings, BlockContext context)
    {
        var written = settings.RequiredText("path");
        return new FileLocation(System.IO.Path.GetFullPath(written, context.ProjectRoot), written);
    }

    /// <summary>
    /// The path to read; fails without retries when nothing matches, since the same path will not match next time
    /// either (a sensor block waits for files that are still to come).
    /// </summary>
    public string ForReading(string block)
    {
        var isGlob = Path.AsSpan().IndexOfAny('*', '?') >= 0;
        if (!isGlob && !File.Exists(Path))
        {
            throw new NonRetryableBlockException($"block {block}: no file at {Display} ({Path})");
        }

        return Path;
    }

    /// <summary>Moves the finished <paramref name="localFile"/> to this location, replacing what was there.</summary>
    public void Store(string localFile)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(folder);
        var temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        File.Copy(localFile, temporary);
        using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}

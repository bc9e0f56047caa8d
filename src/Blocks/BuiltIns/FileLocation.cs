using Duraflow.Blocks.Settings;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// Where a file block reads or writes: a path on this machine, relative to the project folder, that resolves (its
/// symbolic links followed) inside the project or one of <c>files.roots</c>; anything else fails the block without
/// retries, since the same path fails the same way next time. Reads may use globs (<c>landing/*.csv</c>); each file
/// they match is checked too. Writes land whole: the file is written beside its target and renamed.
/// </summary>
internal sealed class FileLocation
{
    private FileLocation(string path, string display, IReadOnlyList<string> roots)
    {
        Path = path;
        Display = display;
        Roots = roots;
    }

    /// <summary>The full local path.</summary>
    public string Path { get; }

    /// <summary>The path as the pipeline wrote it, for logs and outputs.</summary>
    public string Display { get; }

    /// <summary>The folders the path must stay in: the project's, then <c>files.roots</c>.</summary>
    public IReadOnlyList<string> Roots { get; }

    /// <summary>True when the path holds wildcards (reads only).</summary>
    public bool IsGlob => Path.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>The location of setting <c>path</c> in <paramref name="settings"/>.</summary>
    public static FileLocation From(BlockSettings settings, BlockContext context)
    {
        var written = settings.RequiredText("path");
        var full = System.IO.Path.GetFullPath(written, context.ProjectRoot);
        var location = new FileLocation(full, written, [context.ProjectRoot, .. context.FileRoots]);
        location.CheckInside(full, context.Block);
        return location;
    }

    /// <summary>Fails the block when <paramref name="file"/>, a path this location reaches, leads outside its roots.</summary>
    public void CheckInside(string file, string block)
    {
        if (LocalPaths.Outside(file, Roots) is { } real)
        {
            var leads = real == file ? "" : $", which leads to {real}";
            throw new NonRetryableBlockException(
                $"block {block}: with.path '{Display}' is {file}{leads}, outside the project folder{(Roots.Count > 1 ? " and the folders of files.roots" : "")}; "
                + "use a path inside the project, or add the folder to files.roots in duraflow.yaml");
        }
    }

    /// <summary>
    /// The path to read; fails without retries when nothing matches, since the same path will not match next time
    /// either (a sensor block waits for files that are still to come).
    /// </summary>
    public string ForReading(string block)
    {
        if (!IsGlob && !File.Exists(Path))
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

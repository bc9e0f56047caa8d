namespace Duraflow.Blocks;

/// <summary>
/// Keeps the local files a block reads and writes inside the folders the project allows: its own folder and the
/// roots duraflow.yaml lists under <c>files.roots</c>. Paths come from templates filled by whoever starts a run
/// (an API caller's parameters, a blob event's name), so an absolute path, a '..' or a symbolic link must never
/// reach a file elsewhere on the machine.
/// </summary>
internal static class LocalPaths
{
    // As the OS gives up on a loop of links (ELOOP), so a link pointing at itself cannot hang the check.
    private const int MaxLinks = 40;

    private static readonly StringComparison PathComparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// Null when <paramref name="fullPath"/> (already absolute and normalized), with every symbolic link on it
    /// followed, is inside one of <paramref name="roots"/>; otherwise the real path it leads to. A wildcard segment
    /// and everything after it are left out: what they match is checked file by file.
    /// </summary>
    public static string? Outside(string fullPath, IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        ArgumentNullException.ThrowIfNull(roots);
        var real = RealPath(BeforeWildcards(fullPath));
        return roots.Any(root => IsInside(real, RealPath(Path.GetFullPath(root)))) ? null : real;
    }

    /// <summary>The path with every symbolic link on it resolved, as far as it exists; the rest is appended as written.</summary>
    public static string RealPath(string fullPath)
    {
        var pending = new Stack<string>(Segments(fullPath).Reverse());
        var current = Path.GetPathRoot(fullPath) ?? "/";
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, part);
            if (LinkTarget(next) is not { } target)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"{fullPath}: more than {MaxLinks} symbolic links, or a loop of them");
            }

            // A relative target is relative to the folder holding the link; '..' in it then climbs from there.
            var rooted = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
            foreach (var segment in Segments(rooted).Reverse())
            {
                pending.Push(segment);
            }

            current = Path.GetPathRoot(rooted) ?? "/";
        }

        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it (both real, absolute paths).</summary>
    public static bool IsInside(string path, string root)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(root);
        var prefix = Path.EndsInDirectorySeparator(trimmed) ? trimmed : trimmed + Path.DirectorySeparatorChar;
        return path.Equals(trimmed, PathComparison) || path.StartsWith(prefix, PathComparison);
    }

    private static string BeforeWildcards(string fullPath)
    {
        var wildcard = fullPath.AsSpan().IndexOfAny('*', '?');
        if (wildcard < 0)
        {
            return fullPath;
        }

        var separator = fullPath.AsSpan(0, wildcard).LastIndexOfAny(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return separator <= 0 ? Path.GetPathRoot(fullPath) ?? "/" : fullPath[..separator];
    }

    private static string[] Segments(string path) =>
        path[(Path.GetPathRoot(path)?.Length ?? 0)..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

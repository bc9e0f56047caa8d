namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// Refuses JSON files nested too deeply before DuckDB reads them: its reader recurses once a level in native code,
/// and a file of 40,000 '['s overflows the stack and ends the whole process, a server included, with no exception
/// to catch. Data nests a few levels, rarely dozens; <see cref="MaxNesting"/> stays far below what DuckDB survives.
/// </summary>
internal static class JsonNesting
{
    /// <summary>The deepest nesting of arrays and objects read.</summary>
    public const int MaxNesting = 128;

    /// <summary>
    /// Checks every one of <paramref name="files"/> (what the block's path expands to), throwing a non-retryable
    /// error naming the file, line and column where the nesting goes too deep.
    /// </summary>
    public static void Check(IReadOnlyList<string> files, BlockContext context, string display)
    {
        foreach (var file in files)
        {
            if (file.EndsWith(".zst", StringComparison.OrdinalIgnoreCase))
            {
                throw new NonRetryableBlockException(
                    $"block {context.Block}: {display}: {Path.GetFileName(file)} is zstd-compressed, which json.read cannot check before reading; decompress it or use gzip");
            }

            if (FirstTooDeep(file) is { } at)
            {
                throw new NonRetryableBlockException(
                    $"block {context.Block}: {display}: {Path.GetFileName(file)} nests arrays and objects deeper than {MaxNesting} levels at line {at.Line}, column {at.Column}; flatten the data or read it in a script");
            }
        }
    }

    /// <summary>Where the nesting first passes the bound, or null; brackets inside strings do not count.</summary>
    internal static (long Line, long Column)? FirstTooDeep(string file)
    {
        using var raw = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

        // DuckDB decompresses by extension, so the scan must see what DuckDB will.
        using Stream stream = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new System.IO.Compression.GZipStream(raw, System.IO.Compression.CompressionMode.Decompress) : raw;
        var buffer = new byte[1 << 16];
        var (depth, line, column) = (0, 1L, 0L);
        var (inString, escaped) = (false, false);
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            foreach (var b in buffer.AsSpan(0, read))
            {
                column++;
                if (inString)
                {
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (b == (byte)'\\')
                    {
                        escaped = true;
                    }
                    else if (b == (byte)'"')
                    {
                        inString = false;
                    }

                    continue;
                }

                switch (b)
                {
                    case (byte)'"':
                        inString = true;
                        break;
                    case (byte)'[' or (byte)'{':
                        if (++depth > MaxNesting)
                        {
                            return (line, column);
                        }

                        break;
                    case (byte)']' or (byte)'}':
                        // Never below zero: stray closers must not buy room for deeper nesting further on.
                        depth = Math.Max(0, depth - 1);
                        break;
                    case (byte)'\n':
                        (line, column) = (line + 1, 0);
                        break;
                }
            }
        }

        return null;
    }
}

using System.Text.Json;
using DuckDB.NET.Data;
using Duraflow.Blocks.Sql;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>What an incremental file read reads: the files after the watermark, or the rows above the last value read.</summary>
internal static class IncrementalFiles
{
    /// <summary>The local files a <c>by: files</c> read takes.</summary>
    /// <param name="Expression">The DuckDB list of the files to read.</param>
    /// <param name="Read">Their full paths (the newest file alone when none is new: it gives the columns).</param>
    /// <param name="New">The new files by name and time, oldest first; empty when there are none.</param>
    internal sealed record LocalSelection(string Expression, IReadOnlyList<string> Read, IReadOnlyList<(string Name, DateTimeOffset Modified)> New);

    /// <summary>
    /// The files of <paramref name="files"/> after <paramref name="mark"/> (all without one) and modified no later than
    /// <paramref name="settledBy"/>, oldest first. A younger file may still be written, or have a sibling landing in
    /// the same tick of its clock; it waits, and as the mark never passes it, the next run reads it.
    /// </summary>
    public static List<(string Name, DateTimeOffset Modified)> After(
        IEnumerable<(string Name, DateTimeOffset Modified)> files, FileWatermark? mark, DateTimeOffset settledBy) =>
        [.. files.Where(f => f.Modified <= settledBy && (mark is null || mark.IsBefore(f.Modified, f.Name)))
            .OrderBy(f => f.Modified).ThenBy(f => f.Name, StringComparer.Ordinal)];

    /// <summary>Picks the new files among <paramref name="files"/>, named by their paths relative to the project.</summary>
    /// <exception cref="NonRetryableBlockException">No file matches the path.</exception>
    public static LocalSelection SelectLocal(
        IReadOnlyList<string> files, string projectRoot, FileWatermark? mark, DateTimeOffset settledBy, string block, string display)
    {
        if (files.Count == 0)
        {
            throw new NonRetryableBlockException($"block {block}: no file matches {display}");
        }

        var byName = files.Distinct(StringComparer.Ordinal).ToDictionary(f => Path.GetRelativePath(projectRoot, f).Replace('\\', '/'), StringComparer.Ordinal);
        var listed = byName.Select(f => (Name: f.Key, Modified: new DateTimeOffset(File.GetLastWriteTimeUtc(f.Value), TimeSpan.Zero))).ToList();
        var fresh = After(listed, mark, settledBy);
        List<string> read = fresh.Count > 0 ? [.. fresh.Select(f => byName[f.Name])] : [byName[ForColumns(listed, settledBy)]];
        return new LocalSelection("[" + string.Join(", ", read.Select(DuckDb.Literal)) + "]", read, fresh);
    }

    /// <summary>
    /// The file read for its columns alone when nothing is new: the newest that has settled (one still being written
    /// may not parse yet), or the newest of all when none has.
    /// </summary>
    public static string ForColumns(IReadOnlyList<(string Name, DateTimeOffset Modified)> listed, DateTimeOffset settledBy)
    {
        var settled = listed.Where(f => f.Modified <= settledBy).ToList();
        return FileWatermark.Newest(settled.Count > 0 ? settled : listed).Name;
    }

    /// <summary>
    /// Writes the rows of <paramref name="query"/> whose incremental column is above <paramref name="stored"/> (every
    /// row when nothing is stored) to <paramref name="output"/>. The stored value is cast to the column's type, so a
    /// timestamp kept as text compares as a timestamp.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">The files have no such column.</exception>
    public static void CopyRowsAbove(DuckDBConnection connection, string query, IncrementalRead incremental, JsonElement? stored, string output, string block)
    {
        ArgumentNullException.ThrowIfNull(incremental);
        var column = incremental.Column!;
        var columns = Describe(connection, query);
        if (!columns.TryGetValue(column, out var type))
        {
            throw new NonRetryableBlockException(
                $"block {block}: incremental column '{column}' is not in the files; their columns are {string.Join(", ", columns.Keys)}");
        }

        if (stored is not { ValueKind: not JsonValueKind.Null } value)
        {
            ParquetCopy.Query(connection, query, [], output);
            return;
        }

        var above = $"select * from ({query}) where {DuckDb.Identifier(column)} > cast($1 as {type})";
        ParquetCopy.Query(connection, above, [SqlTemplate.ToParameter(value)], output);
    }

    private static Dictionary<string, string> Describe(DuckDBConnection connection, string query)
    {
        using var command = DuckDb.Command(connection, $"describe select * from ({query})", []);
        using var reader = command.ExecuteReader();
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            columns[reader.GetString(0)] = reader.GetString(1);
        }

        return columns;
    }
}

using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Sql;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// CSV, JSON and Parquet read and write. DuckDB does the reading and writing, so files of any size stream through
/// without being loaded into memory, and column types are inferred as a SQL engine would. With a <c>connection</c>,
/// the file is a blob: reads download it into the attempt's work folder first, writes upload the finished file.
/// </summary>
internal static class FileBlocks
{
    private static readonly ConfigField ReadPath = new("path", ConfigKind.Text, "File to read, relative to the project (CONTAINER/PATH with a connection); templates and globs (*.csv) allowed", Required: true);
    private static readonly ConfigField WritePath = new("path", ConfigKind.Text, "File to write, relative to the project (CONTAINER/PATH with a connection, creating a missing container); templates allowed", Required: true);
    private static readonly ConfigField Input = new("input", ConfigKind.Input, "The block whose output is written: {{ blocks.NAME }} (default: the only upstream block)");
    private static readonly ConfigField Delimiter = new("delimiter", ConfigKind.Text, "Column separator", Default: ",");
    private static readonly ConfigField Header = new("header", ConfigKind.Boolean, "Whether the first line holds column names", Default: "true");
    private static readonly ConfigField Connection = BlobLocation.Setting;

    public static IEnumerable<BuiltInBlock> All =>
    [
        new("csv.read", "Read a CSV file into a table", [ReadPath, Connection, Delimiter, Header, IncrementalRead.Field], ReadCsvAsync),
        new("csv.write", "Write a table to a CSV file", [Input, WritePath, Connection, Delimiter, Header], WriteCsvAsync),
        new("json.read", "Read a JSON array or JSON-lines file into a table", [ReadPath, Connection, IncrementalRead.Field], ReadJsonAsync),
        new("json.write", "Write the upstream value as JSON (a table as an array of objects, or JSON lines)",
            [Input, WritePath, Connection, new("lines", ConfigKind.Boolean, "Write one JSON object per line instead of one array", Default: "false")], WriteJsonAsync),
        new("parquet.read", "Read a Parquet file into a table", [ReadPath, Connection, IncrementalRead.Field], ReadParquetAsync),
        new("parquet.write", "Write a table to a Parquet file (zstd)", [Input, WritePath, Connection], WriteParquetAsync),
    ];

    private static Task<BlockValue> ReadCsvAsync(BlockSettings settings, BlockContext context)
    {
        var options = $"header = {Bool(settings.Boolean("header"))}, delim = {DuckDb.Literal(settings.RequiredText("delimiter"))}";
        return ReadAsync(settings, context, files => $"read_csv({files}, {options})");
    }

    private static Task<BlockValue> ReadJsonAsync(BlockSettings settings, BlockContext context) =>
        ReadAsync(settings, context, files => $"read_json({files}, format = 'auto')", JsonNesting.Check);

    private static Task<BlockValue> ReadParquetAsync(BlockSettings settings, BlockContext context) =>
        ReadAsync(settings, context, files => $"read_parquet({files})");

    private static Task<BlockValue> WriteCsvAsync(BlockSettings settings, BlockContext context) =>
        WriteTableAsync(settings, context, $"format csv, header {Bool(settings.Boolean("header"))}, delimiter {DuckDb.Literal(settings.RequiredText("delimiter"))}");

    private static Task<BlockValue> WriteParquetAsync(BlockSettings settings, BlockContext context) =>
        WriteTableAsync(settings, context, "format parquet, compression zstd");

    private static async Task<BlockValue> WriteJsonAsync(BlockSettings settings, BlockContext context)
    {
        var input = settings.Input();
        var lines = settings.Boolean("lines");
        if (input.IsTable)
        {
            return await WriteTableAsync(settings, context, lines ? "format json" : "format json, array true").ConfigureAwait(false);
        }

        var target = await FileTarget.FromAsync(settings, context).ConfigureAwait(false);
        var local = Scratch(context, "json");
        using (var stream = File.Create(local))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = !lines }))
        {
            if (lines && input.Json.ValueKind == JsonValueKind.Array)
            {
                throw new NonRetryableBlockException($"block {context.Block}: lines: true writes tables; the input is a JSON list, write it with lines: false");
            }

            input.Json.WriteTo(writer);
        }

        await target.StoreAsync(local, context).ConfigureAwait(false);
        return BlockValue.Of(target.Written(input.Json.ValueKind == JsonValueKind.Array ? input.Json.GetArrayLength() : 1));
    }

    // source turns the DuckDB expression of the files to read (a quoted path or glob, or a list of them) into a reader.
    private static async Task<BlockValue> ReadAsync(
        BlockSettings settings, BlockContext context, Func<string, string> source, Action<IReadOnlyList<string>, BlockContext, string>? check = null)
    {
        var incremental = IncrementalRead.From(settings, context);
        var stored = incremental is null ? null : await context.GetCheckpointAsync(incremental.Checkpoint).ConfigureAwait(false);
        var mark = incremental is { ByFiles: true } ? FileWatermark.From(stored, incremental.Checkpoint, context.Block) : null;
        var (path, display, local, newFiles) = await ReadableAsync(settings, context, incremental, mark).ConfigureAwait(false);
        var output = Scratch(context, "parquet");
        Run(context, display, connection =>
        {
            // Listed once, as DuckDB will expand it, for both checks: a wildcard match may be a symbolic link out of
            // the folder the pattern starts in, and the format may check each file's contents.
            IReadOnlyList<string> files = local is not null && (local.IsGlob || incremental is { ByFiles: true }) || check is not null ? DuckDb.Glob(connection, path) : [];
            if (local is { IsGlob: true })
            {
                foreach (var file in files)
                {
                    local.CheckInside(file, context.Block);
                }
            }

            var reading = DuckDb.Literal(path);
            if (local is not null && incremental is { ByFiles: true })
            {
                var selection = IncrementalFiles.SelectLocal(files, context.ProjectRoot, mark, DateTimeOffset.UtcNow - incremental.Settle, context.Block, display);
                (reading, files, newFiles) = (selection.Expression, selection.Read, selection.New);
            }

            check?.Invoke(files, context, display);
            var query = $"select * from {source(reading)}";
            if (newFiles is { Count: 0 })
            {
                // Nothing new: the newest file gives the columns, so blocks downstream still find them.
                query += " limit 0";
            }

            if (incremental is { ByFiles: false } byColumn)
            {
                IncrementalFiles.CopyRowsAbove(connection, query, byColumn, stored, output, context.Block);
            }
            else
            {
                DuckDb.Execute(connection, DuckDb.CopyToParquet(query, output));
            }
        });
        var table = new Table(output);
        var result = BlockValue.Of(table);
        context.SetMetric("rows_read", table.CountRows());
        if (incremental is { ByFiles: true })
        {
            var read = newFiles ?? [];
            context.SetMetric("files_read", read.Count);
            if (read.Count > 0)
            {
                context.SetCheckpoint(incremental.Checkpoint, FileWatermark.Newest(read).ToJson());
            }
        }
        else if (incremental is { ByFiles: false, Column: { } column })
        {
            new SqlCheckpoint(incremental.Checkpoint, $"max({DuckDb.Identifier(column)})").Apply(result, context, $"block {context.Block}: {display}");
        }

        return result;
    }

    /// <summary>
    /// The local file or glob DuckDB reads: the project's file, or a downloaded copy of the blobs. With
    /// <paramref name="incremental"/> by files, blobs are listed with their times and only those after <paramref name="mark"/> are
    /// downloaded (the newest alone when none is new, for its columns); NewFiles lists them.
    /// </summary>
    private static async Task<(string Path, string Display, FileLocation? Local, IReadOnlyList<(string Name, DateTimeOffset Modified)>? NewFiles)> ReadableAsync(
        BlockSettings settings, BlockContext context, IncrementalRead? incremental, FileWatermark? mark)
    {
        if (await BlobLocation.FromAsync(settings, context, wildcards: true).ConfigureAwait(false) is { } blob)
        {
            if (incremental is not { ByFiles: true } byFiles)
            {
                return (await blob.DownloadAsync(context.WorkDirectory, context.Logger, context.CancellationToken).ConfigureAwait(false), blob.Display, null, null);
            }

            var listed = await blob.ListModifiedAsync(context.CancellationToken).ConfigureAwait(false);
            if (listed.Count == 0)
            {
                throw new NonRetryableBlockException($"block {context.Block} ({settings.Owner}): no blob matches {blob.Display}");
            }

            var settledBy = DateTimeOffset.UtcNow - byFiles.Settle;
            var fresh = IncrementalFiles.After(listed, mark, settledBy);
            var names = fresh.Count > 0 ? fresh.Select(f => f.Name).ToList() : [IncrementalFiles.ForColumns(listed, settledBy)];
            return (await blob.DownloadAsync(context.WorkDirectory, context.Logger, context.CancellationToken, names).ConfigureAwait(false), blob.Display, null, fresh);
        }

        var location = FileLocation.From(settings, context);
        return (location.ForReading(context.Block), location.Display, location, null);
    }

    private static async Task<BlockValue> WriteTableAsync(BlockSettings settings, BlockContext context, string format)
    {
        var table = settings.Input().Table
            ?? throw new NonRetryableBlockException($"block {context.Block}: the input is not a table; return a list of records from the upstream block, or use json.write");
        var target = await FileTarget.FromAsync(settings, context).ConfigureAwait(false);
        var local = Scratch(context, target.Extension);
        Run(context, target.Display, connection =>
            DuckDb.Execute(connection, string.Create(CultureInfo.InvariantCulture, $"copy (select * from {table.SqlSource}) to {DuckDb.Literal(local)} ({format})")));
        await target.StoreAsync(local, context).ConfigureAwait(false);
        var rows = table.CountRows();
        context.SetMetric("rows_written", rows);
        return BlockValue.Of(target.Written(rows));
    }

    private static void Run(BlockContext context, string display, Action<DuckDBConnection> action)
    {
        using var connection = DuckDb.Open(context.WorkDirectory);
        try
        {
            action(connection);
        }
        catch (DuckDBException e)
        {
            // A malformed file or a wrong delimiter fails the same way next time; say which file.
            throw new NonRetryableBlockException($"block {context.Block}: {display}: {e.Message}", e);
        }
    }

    private static string Scratch(BlockContext context, string extension)
    {
        Directory.CreateDirectory(context.WorkDirectory);
        return System.IO.Path.Combine(context.WorkDirectory, $"{context.Block}-{Guid.NewGuid():N}.{(extension.Length > 0 ? extension : "out")}");
    }

    private static string Bool(bool value) => value ? "true" : "false";
}

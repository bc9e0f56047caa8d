using System.Collections;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Duraflow.Blocks;

/// <summary>
/// Writes a sequence of rows returned by C# code (or read from a database) to a Parquet file. Rows stream to a
/// JSON-lines file next to the target as they are enumerated (memory stays flat however many rows there are), then
/// DuckDB converts it: a record's columns take their types from its properties, a dictionary's are found in the
/// data. Decimals and big integers keep every digit (<see cref="NumberShape"/>, <see cref="ExactNumberText"/>).
/// </summary>
internal static class TableWriter
{
    private const string NoRows = "select null as value where false";

    /// <summary>Writes <paramref name="rows"/>, whose elements are <paramref name="rowType"/>, to <paramref name="path"/>.</summary>
    public static Table Write(IEnumerable rows, Type rowType, string path, CancellationToken cancellationToken) =>
        RowTypes.IsDictionary(rowType)
            ? WriteDictionaries(rows, rowType, path, cancellationToken)
            : WriteRecords(rows, rowType, path, cancellationToken);

    /// <summary>
    /// Writes JSON objects to a Parquet file at <paramref name="path"/>, with columns and types found in the data
    /// (every row is read to find them, so a field that first appears late is not lost).
    /// </summary>
    public static Table WriteJson(IEnumerable<JsonElement> rows, string path, CancellationToken cancellationToken) =>
        ThroughJsonLines(path,
            lines => WriteJsonLines(rows, lines, cancellationToken),
            (_, lines, count) => count == 0 ? NoRows : $"select * from read_json({DuckDb.Literal(lines)}, format = 'newline_delimited', sample_size = -1)");

    /// <summary>Writes each JSON value on a line of its own to <paramref name="path"/>; returns how many.</summary>
    public static long WriteJsonLines(IEnumerable<JsonElement> rows, string path, CancellationToken cancellationToken)
    {
        long count = 0;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var writer = new Utf8JsonWriter(stream))
            {
                row.WriteTo(writer);
            }

            stream.WriteByte((byte)'\n');
            count++;
        }

        return count;
    }

    private static Table WriteRecords(IEnumerable rows, Type rowType, string path, CancellationToken cancellationToken)
    {
        var columns = RowTypes.Columns(rowType);
        var shaped = columns.Where(c => c.Type is "DECIMAL" or RowTypes.WideInteger).Select(c => (c.Property, Shape: new NumberShape())).ToList();
        var options = shaped.Count == 0 ? BlockJson.Options : ExactNumberText.OptionsFor(rowType);
        return ThroughJsonLines(path,
            lines => WriteLines(rows, lines, (writer, row) =>
            {
                JsonSerializer.Serialize(writer, row, rowType, options);
                foreach (var (property, shape) in shaped)
                {
                    shape.Observe(row is null ? null : property.Get!(row));
                }
            }, cancellationToken),
            (_, lines, _) => ReadLines(lines, columns.Select(c => (c.Property.Name, c.Type switch
            {
                null => "JSON",
                "DECIMAL" or RowTypes.WideInteger => shaped.First(s => s.Property == c.Property).Shape.TypeName(declaredDecimal: c.Type == "DECIMAL"),
                _ => c.Type,
            }))));
    }

    /// <summary>
    /// Dictionaries (and database rows) have no declared types: DuckDB infers them from the data as it would for a
    /// JSON file, except for columns holding decimals or big integers, whose exact type the values give.
    /// </summary>
    private static Table WriteDictionaries(IEnumerable rows, Type rowType, string path, CancellationToken cancellationToken)
    {
        var shapes = new Dictionary<string, NumberShape>(StringComparer.Ordinal);
        return ThroughJsonLines(path,
            lines => WriteLines(rows, lines, (writer, row) => WriteDictionary(writer, row, rowType, shapes), cancellationToken),
            (connection, lines, count) => count == 0
                ? NoRows
                : shapes.Values.Any(s => s.HasExactValues)
                    ? ReadLines(lines, Inferred(connection, lines).Select(c =>
                        shapes.TryGetValue(c.Name, out var shape) && shape.HasExactValues ? (c.Name, shape.TypeName(declaredDecimal: false)) : c))
                    : $"select * from read_json({DuckDb.Literal(lines)}, format = 'newline_delimited')");
    }

    private static void WriteDictionary(Utf8JsonWriter writer, object? row, Type rowType, Dictionary<string, NumberShape> shapes)
    {
        var entries = row switch
        {
            IEnumerable<KeyValuePair<string, object?>> pairs => pairs,
            IDictionary dictionary => dictionary.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object?>((string)e.Key, e.Value)),
            _ => null,
        };
        if (entries is null)
        {
            // A read-only dictionary of a value type of its own: written as the serializer writes it.
            JsonSerializer.Serialize(writer, row, rowType, BlockJson.Options);
            return;
        }

        writer.WriteStartObject();
        foreach (var (key, value) in entries)
        {
            if (!shapes.TryGetValue(key, out var shape))
            {
                shapes[key] = shape = new NumberShape();
            }

            shape.Observe(value);
            writer.WritePropertyName(key);
            if (ExactNumberText.Of(value) is { } text)
            {
                writer.WriteStringValue(text);
            }
            else
            {
                JsonSerializer.Serialize(writer, value, value?.GetType() ?? typeof(object), BlockJson.Options);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Streams rows to a JSON-lines file beside <paramref name="path"/>, then has DuckDB copy the query that reads it
    /// to Parquet. The lines file is removed whatever happens.
    /// </summary>
    private static Table ThroughJsonLines(string path, Func<string, long> writeLines, Func<DuckDBConnection, string, long, string> query)
    {
        var lines = path + ".rows.jsonl";
        try
        {
            var count = writeLines(lines);
            using var connection = DuckDb.Open(Path.GetDirectoryName(Path.GetFullPath(path)));
            DuckDb.Execute(connection, DuckDb.CopyToParquet(query(connection, lines, count), path));
            return new Table(path);
        }
        finally
        {
            File.Delete(lines);
        }
    }

    private static long WriteLines(IEnumerable rows, string path, Action<Utf8JsonWriter, object?> write, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new Utf8JsonWriter(stream);
        long count = 0;
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            write(writer, row);
            writer.Flush();
            stream.WriteByte((byte)'\n');
            writer.Reset();
            count++;
        }

        return count;
    }

    /// <summary>The columns DuckDB infers for a JSON-lines file, in order.</summary>
    private static List<(string Name, string Type)> Inferred(DuckDBConnection connection, string lines)
    {
        using var command = DuckDb.Command(connection, $"describe select * from read_json({DuckDb.Literal(lines)}, format = 'newline_delimited')", []);
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string)>();
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    /// <summary>The query reading a JSON-lines file with the given column types.</summary>
    private static string ReadLines(string lines, IEnumerable<(string Name, string Type)> columns)
    {
        var text = new StringBuilder();
        foreach (var (name, type) in columns)
        {
            text.Append(text.Length > 0 ? ", " : "").Append(DuckDb.Literal(name)).Append(": ").Append(DuckDb.Literal(type));
        }

        return $"select * from read_json({DuckDb.Literal(lines)}, format = 'newline_delimited', columns = {{{text}}})";
    }
}

using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Duraflow.Blocks;

/// <summary>
/// Writes a sequence of rows returned by C# code to a Parquet file. Rows stream to a JSON-lines file next to the
/// target as they are enumerated (memory stays flat however many rows there are), then DuckDB converts it with the
/// column types taken from the record's properties.
/// </summary>
internal static class TableWriter
{
    /// <summary>Writes <paramref name="rows"/>, whose elements are <paramref name="rowType"/>, to <paramref name="path"/>.</summary>
    public static Table Write(IEnumerable rows, Type rowType, string path, CancellationToken cancellationToken)
    {
        var columns = RowTypes.IsDictionary(rowType) ? null : RowTypes.Columns(rowType);
        var decimals = columns?.Where(c => c.Type == "DECIMAL").Select(c => new DecimalShape(c.Property.Name, c.Property.Get!)).ToList() ?? [];
        return ThroughJsonLines(path,
            lines => WriteLines(rows, rowType, lines, decimals, cancellationToken),
            (lines, count) => columns is null
                ? count == 0
                    ? "select null as value where false"
                    : $"select * from read_json({DuckDb.Literal(lines)}, format = 'newline_delimited')"
                : $"select * from read_json({DuckDb.Literal(lines)}, format = 'newline_delimited', columns = {{{Struct(columns, decimals)}}})");
    }

    /// <summary>
    /// Writes JSON objects to a Parquet file at <paramref name="path"/>, with columns and types found in the data
    /// (every row is read to find them, so a field that first appears late is not lost).
    /// </summary>
    public static Table WriteJson(IEnumerable<JsonElement> rows, string path, CancellationToken cancellationToken) =>
        ThroughJsonLines(path,
            lines => WriteJsonLines(rows, lines, cancellationToken),
            (lines, count) => count == 0
                ? "select null as value where false"
                : $"select * from read_json({DuckDb.Literal(lines)}, format = 'newline_delimited', sample_size = -1)");

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

    /// <summary>
    /// Streams rows to a JSON-lines file beside <paramref name="path"/>, then has DuckDB copy the query that reads it
    /// to Parquet. The lines file is removed whatever happens.
    /// </summary>
    private static Table ThroughJsonLines(string path, Func<string, long> writeLines, Func<string, long, string> query)
    {
        var lines = path + ".rows.jsonl";
        try
        {
            var count = writeLines(lines);
            using var connection = DuckDb.Open(Path.GetDirectoryName(Path.GetFullPath(path)));
            DuckDb.Execute(connection, DuckDb.CopyToParquet(query(lines, count), path));
            return new Table(path);
        }
        finally
        {
            File.Delete(lines);
        }
    }

    private static long WriteLines(IEnumerable rows, Type rowType, string path, List<DecimalShape> decimals, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new Utf8JsonWriter(stream);
        long count = 0;
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            JsonSerializer.Serialize(writer, row, rowType, BlockJson.Options);
            writer.Flush();
            stream.WriteByte((byte)'\n');
            writer.Reset();
            foreach (var shape in decimals)
            {
                shape.Observe(row);
            }

            count++;
        }

        return count;
    }

    private static string Struct(IReadOnlyList<(System.Text.Json.Serialization.Metadata.JsonPropertyInfo Property, string? Type)> columns, List<DecimalShape> decimals)
    {
        var text = new StringBuilder();
        foreach (var (property, type) in columns)
        {
            var columnType = type switch
            {
                null => "JSON",
                "DECIMAL" => decimals.First(d => d.Name == property.Name).TypeName,
                _ => type,
            };
            text.Append(CultureInfo.InvariantCulture, $"{(text.Length > 0 ? ", " : "")}{DuckDb.Literal(property.Name)}: {DuckDb.Literal(columnType)}");
        }

        return text.ToString();
    }

    /// <summary>
    /// The widest integer part and scale seen in a decimal column, so the Parquet column is DECIMAL(p, s) exactly as
    /// wide as the data: money keeps its cents, and 12.5 is not written as 12.5000000000.
    /// </summary>
    private sealed class DecimalShape(string name, Func<object, object?> get)
    {
        private int _integerDigits;
        private int _scale;
        private bool _seen;

        public string Name => name;

        public string TypeName
        {
            get
            {
                if (!_seen)
                {
                    return "DECIMAL(18,2)";
                }

                var precision = Math.Max(1, _integerDigits + _scale);
                return precision > 38 ? "DOUBLE" : string.Create(CultureInfo.InvariantCulture, $"DECIMAL({precision},{_scale})");
            }
        }

        public void Observe(object? row)
        {
            if (row is null || get(row) is not decimal value)
            {
                return;
            }

            _seen = true;
            _scale = Math.Max(_scale, value.Scale);
            var integer = decimal.Truncate(Math.Abs(value));
            _integerDigits = Math.Max(_integerDigits, integer == 0 ? 0 : integer.ToString(CultureInfo.InvariantCulture).Length);
        }
    }
}

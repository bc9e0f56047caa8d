using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks;

/// <summary>
/// Streams the rows of a <see cref="Table"/> out of DuckDB and converts each to what the caller asked for. A typed
/// row goes through the block JSON convention, so a record reads a table exactly as it would read the same rows
/// written as JSON: same names, same number and date handling, same errors.
/// </summary>
internal static class TableRowReader
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>
    /// The rows of <paramref name="table"/>, each given to <paramref name="project"/> with its 1-based number. The
    /// array passed is reused for the next row.
    /// </summary>
    public static IEnumerable<TResult> Read<TResult>(Table table, Func<object?[], long, TResult> project, CancellationToken cancellationToken)
    {
        using var connection = DuckDb.Open();
        using var command = DuckDb.Command(connection, $"select * from {table.SqlSource}", []);
        using var reader = command.ExecuteReader();
        var row = new object?[reader.FieldCount];
        long number = 0;
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            number++;
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = DataReaderValues.Get(reader, i, number, table.RowText);
            }

            yield return project(row, number);
        }
    }

    public static Dictionary<string, object?> ToDictionary(object?[] row, IReadOnlyList<TableColumn> columns)
    {
        var values = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            values[columns[i].Name] = row[i];
        }

        return values;
    }

    /// <summary>One row as an object with a member per column, for <c>dynamic</c> code.</summary>
    public static System.Dynamic.ExpandoObject ToExpando(object?[] row, IReadOnlyList<TableColumn> columns)
    {
        var values = new System.Dynamic.ExpandoObject();
        IDictionary<string, object?> members = values;
        for (var i = 0; i < columns.Count; i++)
        {
            members[columns[i].Name] = row[i];
        }

        return values;
    }

    /// <summary>Converts row <paramref name="number"/> of <paramref name="table"/> to <typeparamref name="T"/> through its JSON form, names in snake_case.</summary>
    /// <exception cref="NonRetryableBlockException">The row does not fit <typeparamref name="T"/>: the message names the column, its value and the fix.</exception>
    public static T Convert<T>(object?[] row, Table table, long number)
    {
        var columns = table.Columns;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteRow(writer, row, columns, JsonNamingPolicy.SnakeCaseLower);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(buffer.WrittenSpan, BlockJson.Options)!;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            // The same row fails the same way on every attempt.
            using var json = JsonDocument.Parse(buffer.WrittenMemory);
            throw e is JsonException error && ConversionProblem.Describe(error, json.RootElement, typeof(T), columns) is { } problem
                ? new NonRetryableBlockException($"{table.RowText(number)}: {problem.Text}")
                : new NonRetryableBlockException(
                    $"{table.RowText(number)}, with columns {string.Join(", ", columns.Select(c => $"{c.Name} {c.Type}"))}, cannot be read as {TypeDisplay.Name(typeof(T))}: {e.Message}", e);
        }
    }

    /// <summary>Writes one row as a JSON object; <paramref name="naming"/> renames columns (null keeps them).</summary>
    public static void WriteRow(Utf8JsonWriter writer, object?[] row, IReadOnlyList<TableColumn> columns, JsonNamingPolicy? naming = null)
    {
        writer.WriteStartObject();
        for (var i = 0; i < columns.Count; i++)
        {
            writer.WritePropertyName(naming is null ? columns[i].Name : naming.ConvertName(columns[i].Name));
            WriteValue(writer, row[i], columns[i].Type);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, string type)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text when type == "JSON":
                writer.WriteRawValue(text);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case double number when !double.IsFinite(number):
                writer.WriteNullValue();
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case float number when !float.IsFinite(number):
                writer.WriteNullValue();
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case BigInteger number:
                writer.WriteRawValue(number.ToString(CultureInfo.InvariantCulture));
                break;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTime time:
                writer.WriteStringValue(time.ToString(time.Kind == DateTimeKind.Utc ? "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ" : "yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), BlockJson.Options);
                break;
        }
    }
}

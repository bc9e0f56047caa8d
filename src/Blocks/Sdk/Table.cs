using System.Text.Json;

namespace Duraflow.Blocks;

/// <summary>
/// A table that travels between blocks: rows stored as one or more Parquet files, read from C# as typed records
/// (<c>Rows&lt;Order&gt;()</c>), as dictionaries, or as JSON, and from SQL as a relation. Rows are read lazily, so a
/// block can stream millions of rows without holding them in memory.
/// </summary>
/// <remarks>
/// Several files appear when a block reads all items of a fan-out block that returned tables: they are read as one
/// table, columns matched by name. A column maps to a C# property by the block JSON convention
/// (<c>order_id</c> ⇄ <c>OrderId</c>).
/// </remarks>
public sealed class Table
{
    private IReadOnlyList<TableColumn>? _columns;

    /// <summary>A table over existing Parquet files.</summary>
    public Table(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new ArgumentException("a table needs at least one Parquet file", nameof(files));
        }

        Files = files;
    }

    /// <summary>A table over one existing Parquet file.</summary>
    public Table(string file)
        : this([file])
    {
    }

    /// <summary>The Parquet files holding the rows, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<TableColumn> Columns => _columns ??= ReadColumns();

    /// <summary>The block input this table was handed out as, for error messages; null for a table made by code.</summary>
    internal TableOrigin? Origin { get; private init; }

    /// <summary>The SQL table expression that reads these rows, for use inside a query.</summary>
    public string SqlSource => DuckDb.ReadParquet(Files);

    /// <summary>The number of rows (read from the Parquet metadata, without scanning the data).</summary>
    public long CountRows()
    {
        using var connection = DuckDb.Open();
        using var command = DuckDb.Command(connection, $"select count(*) from {SqlSource}", []);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The rows as <typeparamref name="T"/>, read one at a time while enumerating. <c>object</c> (or C#'s
    /// <c>dynamic</c>) gives each row as an object whose members are the columns: <c>row.customer</c>.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">A row does not convert to <typeparamref name="T"/>.</exception>
    public IEnumerable<T> Rows<T>(CancellationToken cancellationToken = default) =>
        typeof(T) == typeof(object)
            ? TableRowReader.Read(this, (row, _) => (T)(object)TableRowReader.ToExpando(row, Columns), cancellationToken)
            : TableRowReader.Read(this, (row, number) => TableRowReader.Convert<T>(row, this, number), cancellationToken);

    /// <summary>The rows as column-name → value dictionaries, read one at a time while enumerating.</summary>
    public IEnumerable<IReadOnlyDictionary<string, object?>> Rows(CancellationToken cancellationToken = default) =>
        TableRowReader.Read<IReadOnlyDictionary<string, object?>>(this, (row, _) => TableRowReader.ToDictionary(row, Columns), cancellationToken);

    /// <summary>All rows as one JSON array of objects. Loads the table; meant for small tables.</summary>
    public JsonElement ToJson(CancellationToken cancellationToken = default) => FirstRowsToJson(int.MaxValue, cancellationToken);

    /// <summary>The first <paramref name="maxRows"/> rows (in file order) as one JSON array of objects: a preview of any table.</summary>
    public JsonElement FirstRowsToJson(int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var row in TableRowReader.Read(this, (row, _) => row, cancellationToken).Take(maxRows))
            {
                TableRowReader.WriteRow(writer, row, Columns);
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>This table, handed to block <paramref name="block"/> as its input <paramref name="input"/>.</summary>
    internal Table AsInput(string block, string input) => new(Files) { Origin = new TableOrigin(block, input), _columns = _columns };

    /// <summary>Row <paramref name="number"/> (1-based) as an error message names it.</summary>
    internal string RowText(long number) => Origin?.Row(number) ?? $"row {number}";

    /// <summary>Writes all rows to one new Parquet file at <paramref name="path"/>.</summary>
    public void SaveAs(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var connection = DuckDb.Open();
        DuckDb.Execute(connection, DuckDb.CopyToParquet($"select * from {SqlSource}", path));
    }

    /// <summary>
    /// This table with every occurrence of <paramref name="values"/> in its text columns replaced by
    /// <paramref name="mask"/>, written to <paramref name="path"/>; this same table when no text holds any of them.
    /// The values are bound as parameters, and longer values should come first so a value inside another is masked whole.
    /// </summary>
    internal Table WithTextReplaced(IReadOnlyList<string> values, string mask, string path)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = Columns.Where(c => c.Type is "VARCHAR" or "JSON").ToList();
        if (texts.Count == 0 || values.Count == 0)
        {
            return this;
        }

        // Parameters $1..$n are the values and $n+1 the mask; a scan that finds nothing costs no rewrite.
        var found = string.Join(" or ", texts.SelectMany(column => values.Select((_, i) => $"contains({DuckDb.Identifier(column.Name)}::VARCHAR, ${i + 1})")));
        using var connection = DuckDb.Open();
        using (var check = DuckDb.Command(connection, $"select exists (select 1 from {SqlSource} where {found})", [.. values]))
        {
            if (check.ExecuteScalar() is not true)
            {
                return this;
            }
        }

        var maskParameter = $"${values.Count + 1}";
        // replace() gives VARCHAR; a JSON column is cast back so it stays JSON.
        var replaced = texts.Select(column =>
            values.Select((_, i) => i).Aggregate($"{DuckDb.Identifier(column.Name)}::VARCHAR", (expression, i) => $"replace({expression}, ${i + 1}, {maskParameter})")
            + (column.Type == "JSON" ? "::JSON" : "") + $" as {DuckDb.Identifier(column.Name)}");
        using var copy = DuckDb.Command(connection,
            DuckDb.CopyToParquet($"select * replace ({string.Join(", ", replaced)}) from {SqlSource}", path), [.. values, mask]);
        copy.ExecuteNonQuery();
        return new Table(path);
    }

    private List<TableColumn> ReadColumns()
    {
        using var connection = DuckDb.Open();
        using var command = DuckDb.Command(connection, $"describe select * from {SqlSource}", []);
        using var reader = command.ExecuteReader();
        var columns = new List<TableColumn>();
        while (reader.Read())
        {
            columns.Add(new TableColumn(reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }
}

namespace Duraflow.Blocks.Catalog;

/// <summary>
/// The ids of the built-in connector blocks. Definitions are checked against this list so a misspelt
/// <c>uses:</c> is caught by <c>duraflow validate</c>; each block's config schema is added with its implementation.
/// </summary>
public static class BuiltInBlocks
{
    /// <summary>Every built-in block, ordered by id.</summary>
    public static IReadOnlyList<BuiltInBlock> All { get; } =
    [
        new("csv.read", "Read a CSV file (local path or Azure Blob) into a table"),
        new("csv.write", "Write the upstream table to a CSV file (local path or Azure Blob)"),
        new("http.get", "GET a JSON API, following pagination, into a table"),
        new("json.read", "Read a JSON or JSON-lines file into a table"),
        new("json.write", "Write the upstream value as JSON"),
        new("parquet.read", "Read a Parquet file into a table"),
        new("parquet.write", "Write the upstream table to a Parquet file"),
        new("sensor.blob", "Wait until a blob exists, up to a timeout"),
        new("sensor.sql", "Wait until a SQL query returns true, up to a timeout"),
        new("sql.query", "Run a query in a named connection and return its rows as a table"),
        new("sql.write", "Write the upstream table into a SQL table (append, replace or upsert)"),
    ];

    /// <summary>The built-in block with this id, or null.</summary>
    public static BuiltInBlock? Find(string id) => All.FirstOrDefault(b => string.Equals(b.Id, id, StringComparison.Ordinal));
}

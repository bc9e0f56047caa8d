using System.Globalization;
using DuckDB.NET.Data;

namespace Duraflow.Blocks;

/// <summary>
/// Opens the embedded DuckDB engine that reads and writes tables, and quotes names and literals for the few
/// statements (views, COPY targets) where DuckDB accepts no bound parameter. Values from users are always bound.
/// </summary>
internal static class DuckDb
{
    /// <summary>An in-memory database; it spills to <paramref name="spillDirectory"/> instead of exhausting memory.</summary>
    public static DuckDBConnection Open(string? spillDirectory = null)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        if (spillDirectory is not null)
        {
            Directory.CreateDirectory(spillDirectory);
            Execute(connection, $"set temp_directory = {Literal(spillDirectory)}");
        }

        // A bounded engine: a 5-million-row file streams through in chunks, and the process stays under 1 GiB.
        Execute(connection, "set memory_limit = '512MB'");

        // Times with a zone read and print in UTC whatever the host's zone, so a watermark means the same everywhere.
        Execute(connection, "set TimeZone = 'UTC'");
        Execute(connection, "set preserve_insertion_order = true");
        return connection;
    }

    /// <summary>Runs a statement without results and returns the number of rows it changed.</summary>
    public static int Execute(DuckDBConnection connection, string sql, params object?[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>A command with positional parameters <c>$1</c>, <c>$2</c>, ...</summary>
    public static DuckDBCommand Command(DuckDBConnection connection, string sql, IEnumerable<object?> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var value in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(value ?? DBNull.Value));
        }

        return command;
    }

    /// <summary>The files <paramref name="pathOrGlob"/> matches, as DuckDB's readers expand it.</summary>
    public static List<string> Glob(DuckDBConnection connection, string pathOrGlob)
    {
        using var command = Command(connection, "select file from glob(?)", [pathOrGlob]);
        using var reader = command.ExecuteReader();
        var files = new List<string>();
        while (reader.Read())
        {
            files.Add(reader.GetString(0));
        }

        return files;
    }

    /// <summary>A single-quoted SQL string literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A double-quoted SQL identifier.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The table function that reads <paramref name="files"/> as one table.</summary>
    public static string ReadParquet(IReadOnlyList<string> files) => files.Count == 1
        ? $"read_parquet({Literal(files[0])})"
        : $"read_parquet([{string.Join(", ", files.Select(Literal))}], union_by_name = true)";

    /// <summary>
    /// A COPY statement that writes <paramref name="query"/> to a Parquet file; the query stands on lines of its own,
    /// so a comment on its last line does not swallow the closing parenthesis.
    /// </summary>
    public static string CopyToParquet(string query, string path) =>
        string.Create(CultureInfo.InvariantCulture, $"copy (\n{query}\n) to {Literal(path)} (format parquet, compression zstd)");
}

using System.Numerics;
using DuckDB.NET.Data;

namespace Duraflow.Blocks;

/// <summary>
/// Copies a query's rows to a Parquet file, keeping 128-bit integers exact. Parquet has no such type and DuckDB
/// writes HUGEINT columns, which <c>sum()</c> of any integer column gives, as DOUBLE: 22 became 22.0 in every CSV
/// and JSON written from it. Such a column becomes BIGINT when every value fits, else DECIMAL(38,0); values beyond
/// 38 digits have no exact Parquet type and stay DOUBLE.
/// </summary>
internal static class ParquetCopy
{
    private const string Staged = "duraflow_result";
    private static readonly BigInteger DecimalLimit = BigInteger.Pow(10, 38);

    /// <summary>Runs <paramref name="query"/> with <paramref name="parameters"/> (<c>$1</c>, ...) and writes its rows to <paramref name="path"/>.</summary>
    public static void Query(DuckDBConnection connection, string query, IReadOnlyList<object?> parameters, string path)
    {
        var wide = WideColumns(connection, query, parameters);
        if (wide.Count == 0)
        {
            Run(connection, DuckDb.CopyToParquet(query, path), parameters);
            return;
        }

        // The type depends on the values, so the result is kept (spilling to disk when large) and measured first.
        Run(connection, $"create temp table {Staged} as\n{query}\n", parameters);
        var casts = Ranges(connection, wide).Select(c => $"cast({DuckDb.Identifier(c.Name)} as {TypeFor(c.Min, c.Max)}) as {DuckDb.Identifier(c.Name)}");
        DuckDb.Execute(connection, DuckDb.CopyToParquet($"select * replace ({string.Join(", ", casts)}) from {Staged}", path));
        DuckDb.Execute(connection, $"drop table {Staged}");
    }

    private static string TypeFor(BigInteger? min, BigInteger? max) =>
        (min ?? 0) >= long.MinValue && (max ?? 0) <= long.MaxValue ? "BIGINT"
        : BigInteger.Abs(min ?? 0) < DecimalLimit && BigInteger.Abs(max ?? 0) < DecimalLimit ? "DECIMAL(38,0)"
        : "DOUBLE";

    /// <summary>The result's HUGEINT and UHUGEINT columns, found by describing the query without running it.</summary>
    private static List<string> WideColumns(DuckDBConnection connection, string query, IReadOnlyList<object?> parameters)
    {
        using var command = DuckDb.Command(connection, $"describe select * from (\n{query}\n)", parameters);
        using var reader = command.ExecuteReader();
        var wide = new List<string>();
        while (reader.Read())
        {
            if (reader.GetString(1) is "HUGEINT" or "UHUGEINT")
            {
                wide.Add(reader.GetString(0));
            }
        }

        return wide;
    }

    private static List<(string Name, BigInteger? Min, BigInteger? Max)> Ranges(DuckDBConnection connection, List<string> columns)
    {
        var aggregates = columns.Select(c => $"min({DuckDb.Identifier(c)}), max({DuckDb.Identifier(c)})");
        using var command = DuckDb.Command(connection, $"select {string.Join(", ", aggregates)} from {Staged}", []);
        using var reader = command.ExecuteReader();
        reader.Read();
        return [.. columns.Select((name, i) => (name, Value(reader, 2 * i), Value(reader, (2 * i) + 1)))];
    }

    private static BigInteger? Value(System.Data.Common.DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<BigInteger>(ordinal);

    private static void Run(DuckDBConnection connection, string sql, IReadOnlyList<object?> parameters)
    {
        using var command = DuckDb.Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using Duraflow.Blocks.Templates;
using Microsoft.Extensions.Logging;

namespace Duraflow.Blocks.Sql;

/// <summary>
/// Runs a SQL block on the embedded DuckDB engine, where every upstream output is a relation: <c>{{ blocks.NAME }}</c>
/// reads a table's Parquet files, or a JSON output as rows. The query's result becomes the block's output table.
/// </summary>
internal static class EmbeddedSqlBlock
{
    /// <summary>
    /// Runs the query in <paramref name="sql"/> (from <paramref name="displayPath"/>) for one attempt, and sets
    /// <paramref name="checkpoint"/> from its rows when the block has one.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">The SQL is wrong: DuckDB's message, prefixed with the file.</exception>
    public static async Task<BlockValue> RunAsync(string displayPath, string sql, BlockContext context, SqlCheckpoint? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = await TemplateValues.ForAsync(context, [sql]).ConfigureAwait(false);
        Directory.CreateDirectory(context.WorkDirectory);
        var relations = new Dictionary<string, string>(StringComparer.Ordinal);
        var bound = SqlTemplate.Bind(sql, values, context.ParameterTypes,
            name => relations.TryGetValue(name, out var known) ? known : relations[name] = DuckDb.Identifier(name),
            index => $"${(index + 1).ToString(CultureInfo.InvariantCulture)}");
        var output = Path.Combine(context.WorkDirectory, $"{context.Block}.parquet");
        var clock = Stopwatch.StartNew();
        using var connection = DuckDb.Open(context.WorkDirectory);
        using var cancel = context.CancellationToken.Register(() => Interrupt(connection));
        try
        {
            foreach (var name in relations.Keys)
            {
                DuckDb.Execute(connection, $"create temp view {DuckDb.Identifier(name)} as {Relation(name, values.InputValue(name), context)}");
            }

            ParquetCopy.Query(connection, bound.Text, bound.Parameters, output);
        }
        catch (DuckDBException e) when (!context.CancellationToken.IsCancellationRequested)
        {
            // DuckDB rejects the same SQL the same way on every attempt: a syntax, binder or type error is final.
            throw new NonRetryableBlockException($"{displayPath}: {e.Message}", e);
        }
        catch (Exception) when (context.CancellationToken.IsCancellationRequested)
        {
            // Closing the connection stops whichever statement runs, each failing its own way: the attempt was cancelled.
            context.CancellationToken.ThrowIfCancellationRequested();
            throw;
        }

        context.CancellationToken.ThrowIfCancellationRequested();
        var table = new Table(output);
        var rows = table.CountRows();
        var elapsed = clock.ElapsedMilliseconds;
        if (context.Logger.IsEnabled(LogLevel.Information))
        {
            context.Logger.LogInformation("{Path} returned {Rows} rows in {Milliseconds} ms", displayPath, rows, elapsed);
        }

        context.SetMetric("rows_returned", rows);
        context.SetMetric("duration_ms", elapsed);
        var result = BlockValue.Of(table);
        checkpoint?.Apply(result, context, displayPath);
        return result;
    }

    /// <summary>The query reading one upstream output: its Parquet files, or its JSON written to a file as rows.</summary>
    private static string Relation(string name, BlockValue? input, BlockContext context)
    {
        if (input?.Table is { } table)
        {
            return $"select * from {table.SqlSource}";
        }

        var json = input?.Json ?? BlockValue.Null.Json;
        if (json.ValueKind == JsonValueKind.Null)
        {
            return "select null as value where false";
        }

        // Rows of objects stay objects; scalars become rows with one column named value.
        var rows = (json.ValueKind == JsonValueKind.Array ? json.EnumerateArray().ToList() : [json])
            .Select(row => row.ValueKind == JsonValueKind.Object ? row : BlockJson.ToElement(new { value = row }));
        var path = Path.Combine(context.WorkDirectory, $"input-{name}.jsonl");
        return TableWriter.WriteJsonLines(rows, path, context.CancellationToken) == 0
            ? "select null as value where false"
            : $"select * from read_json({DuckDb.Literal(path)}, format = 'newline_delimited')";
    }

    private static void Interrupt(DuckDBConnection connection)
    {
        try
        {
            connection.Close();
        }
        catch (DuckDBException)
        {
            // Closing a connection mid-query is how the query stops; an error from it changes nothing.
        }
    }
}

using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Templates;
using Microsoft.Extensions.Logging;

namespace Duraflow.Blocks.Sql;

/// <summary>
/// Runs a SQL block in a database named by <c>with.connection</c>: PostgreSQL, SQL Server / Azure SQL or SQLite.
/// Templates become bound parameters. Rows the SQL returns become the block's output table; with
/// <c>materialize</c>, the result is kept in the database as a table or view instead.
/// </summary>
internal static class DatabaseSqlBlock
{
    /// <summary>Runs <paramref name="sql"/> (from <paramref name="displayPath"/>) for one attempt.</summary>
    /// <exception cref="NonRetryableBlockException">The SQL or the settings are wrong; a transient database error is rethrown as is, to be retried.</exception>
    public static async Task<BlockValue> RunAsync(string displayPath, string sql, BlockSettings settings, BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        var connection = await context.Connections.GetAsync(settings.RequiredText("connection"), context.CancellationToken).ConfigureAwait(false);
        var dialect = SqlDialect.For(connection);
        var values = await TemplateValues.ForAsync(context, [sql]).ConfigureAwait(false);
        var bound = SqlTemplate.Bind(sql, values, context.ParameterTypes,
            name => throw new NonRetryableBlockException(
                $"{displayPath}: {{{{ blocks.{name} }}}} reads an upstream output, which only the embedded engine can do; "
                + $"drop with.connection to query it there, or load it into {connection.Name} first with a sql.write block"),
            dialect.Placeholder);
        var checkpoint = SqlCheckpoint.From(settings, displayPath);
        var materialize = settings.Choice("materialize");
        var target = materialize == "none" ? null : settings.RequiredText("target");
        var text = materialize switch
        {
            "table" => dialect.ReplaceTableAs(target!, bound.Text),
            "view" when bound.Parameters.Count > 0 => throw new NonRetryableBlockException(
                $"{displayPath}: a view cannot hold bound parameters, and this SQL has {bound.Parameters.Count}; use materialize: table, or remove the templates"),
            "view" => dialect.ReplaceViewAs(target!, bound.Text),
            _ => bound.Text,
        };

        var clock = Stopwatch.StartNew();
        try
        {
            await using var db = await dialect.OpenAsync(connection, context.ProjectRoot, context.CancellationToken).ConfigureAwait(false);
            await using var transaction = settings.Boolean("transaction")
                ? await db.BeginTransactionAsync(context.CancellationToken).ConfigureAwait(false)
                : null;
            await using var command = db.CreateCommand();
            command.CommandText = text;
            command.Transaction = transaction;
            Bind(command, bound.Parameters);
            var (output, affected) = await ExecuteAsync(command, $"{displayPath} in {connection.Name}", context).ConfigureAwait(false);
            if (materialize == "table")
            {
                // Drivers disagree on what CREATE TABLE AS reports; the row count of the new table is unambiguous.
                command.Parameters.Clear();
                command.CommandText = $"select count(*) from {dialect.Quote(target!)}";
                affected = Convert.ToInt32(await command.ExecuteScalarAsync(context.CancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            var result = output ?? BlockValue.Of(BlockJson.ToElement(new { rows_affected = affected, target }));

            // Before the commit: a checkpoint that cannot be computed fails the block with its changes rolled back.
            checkpoint?.Apply(result, context, displayPath);
            if (transaction is not null)
            {
                await transaction.CommitAsync(context.CancellationToken).ConfigureAwait(false);
            }

            Record(context, displayPath, output, affected, clock.ElapsedMilliseconds);
            return result;
        }
        catch (DbException e) when (!e.IsTransient && !context.CancellationToken.IsCancellationRequested)
        {
            // Syntax, permission and constraint errors come back the same on every attempt.
            throw new NonRetryableBlockException($"{displayPath} in {connection.Name}: {e.Message}", e);
        }
    }

    /// <summary>Adds the values as parameters named for the dialect's placeholders (<c>@p0</c>, ...).</summary>
    public static void Bind(DbCommand command, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(values);
        for (var i = 0; i < values.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = string.Create(CultureInfo.InvariantCulture, $"p{i}");
            parameter.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }

    private static async Task<(BlockValue? Output, int Affected)> ExecuteAsync(DbCommand command, string where, BlockContext context)
    {
        await using var reader = await command.ExecuteReaderAsync(context.CancellationToken).ConfigureAwait(false);
        BlockValue? output = null;
        do
        {
            if (output is null && reader.FieldCount > 0)
            {
                // The first result with columns is the output; rows stream through to Parquet.
                output = BlockValue.FromResult(Rows(reader, where, context.CancellationToken), context.Block, context.WorkDirectory, asJson: false, context.CancellationToken);
            }
        }
        while (await reader.NextResultAsync(context.CancellationToken).ConfigureAwait(false));

        await reader.CloseAsync().ConfigureAwait(false);
        return (output, Math.Max(0, reader.RecordsAffected));
    }

    /// <summary>
    /// The rows as the provider gives their values: a <c>numeric</c> stays a decimal (a wider one a big integer),
    /// which the table writer keeps exact (<see cref="NumberShape"/>).
    /// </summary>
    private static IEnumerable<Dictionary<string, object?>> Rows(DbDataReader reader, string where, CancellationToken cancellationToken)
    {
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        Func<long, string> rowText = n => $"{where}: row {n}";
        long number = 0;
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            number++;
            var row = new Dictionary<string, object?>(names.Length, StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                row[names[i]] = DataReaderValues.Get(reader, i, number, rowText);
            }

            yield return row;
        }
    }

    private static void Record(BlockContext context, string displayPath, BlockValue? output, int affected, long elapsed)
    {
        var returned = output?.Table?.CountRows() ?? 0;
        context.SetMetric("rows_affected", affected);
        context.SetMetric("rows_returned", returned);
        context.SetMetric("duration_ms", elapsed);
        if (context.Logger.IsEnabled(LogLevel.Information))
        {
            context.Logger.LogInformation("{Path} returned {Returned} rows and changed {Affected} in {Milliseconds} ms", displayPath, returned, affected, elapsed);
        }
    }
}

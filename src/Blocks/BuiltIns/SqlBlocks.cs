using System.Data.Common;
using System.Numerics;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Sql;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// <c>sql.query</c> runs an inline query in a database connection; <c>sql.write</c> loads a table into a database
/// table: append, replace (in one transaction, so readers never see it empty) or upsert by key columns.
/// </summary>
internal static class SqlBlocks
{
    private static readonly ConfigField Connection = new("connection", ConfigKind.Text, "io_config connection: postgres, sqlserver or sqlite", Required: true);

    public static IEnumerable<BuiltInBlock> All =>
    [
        new("sql.query", "Run a query in a database connection and return its rows as a table",
            [Connection, new("query", ConfigKind.Text, "The SQL; templates are bound as parameters", Required: true),
                .. SqlBlockSettings.Fields.Where(f => f.Name != "connection")],
            QueryAsync),
        new("sql.write", "Write a table into a database table: append, replace or upsert",
            [
                new("input", ConfigKind.Input, "The table to write: {{ blocks.NAME }} (default: the only upstream block)"),
                Connection,
                new("table", ConfigKind.Text, "The target table, e.g. analytics.orders", Required: true),
                new("mode", ConfigKind.Choice, "append adds rows, replace swaps all rows, upsert updates rows by key", Default: "append", Choices: ["append", "replace", "upsert"]),
                new("key", ConfigKind.List, "Key columns for upsert (and the primary key of a created table)"),
                new("create", ConfigKind.Boolean, "Create the table from the input's columns when it is missing", Default: "true"),
                new("batch_size", ConfigKind.Integer, "Rows per INSERT statement", Default: "1000"),
            ],
            WriteAsync),
    ];

    private static Task<BlockValue> QueryAsync(BlockSettings settings, BlockContext context) =>
        DatabaseSqlBlock.RunAsync($"block {context.Block} (sql.query)", settings.Template("query")!, settings, context);

    private static async Task<BlockValue> WriteAsync(BlockSettings settings, BlockContext context)
    {
        var table = settings.Input().Table
            ?? throw new NonRetryableBlockException($"block {context.Block}: sql.write needs a table as input; return a list of records from the upstream block");
        var connection = await context.Connections.GetAsync(settings.RequiredText("connection"), context.CancellationToken).ConfigureAwait(false);
        var dialect = SqlDialect.For(connection);
        var target = settings.RequiredText("table");
        var mode = settings.Choice("mode");
        var key = settings.List("key");
        if (mode == "upsert" && key.Count == 0)
        {
            throw new NonRetryableBlockException($"block {context.Block}: mode upsert needs with.key, the columns that identify a row");
        }

        var columns = table.Columns.Select(c => (c.Name, c.Type)).ToList();
        var missing = key.Where(k => !columns.Any(c => c.Name == k)).ToList();
        if (missing.Count > 0)
        {
            throw new NonRetryableBlockException(
                $"block {context.Block}: key column {string.Join(", ", missing)} is not in the input; its columns are {string.Join(", ", columns.Select(c => c.Name))}");
        }

        try
        {
            await using var db = await dialect.OpenAsync(connection, context.ProjectRoot, context.CancellationToken).ConfigureAwait(false);
            await using var transaction = await db.BeginTransactionAsync(context.CancellationToken).ConfigureAwait(false);
            if (settings.Boolean("create"))
            {
                await ExecuteAsync(db, transaction, dialect.CreateTableIfMissing(target, columns, key), [], context.CancellationToken).ConfigureAwait(false);
            }

            if (mode == "replace")
            {
                await ExecuteAsync(db, transaction, $"delete from {dialect.Quote(target)}", [], context.CancellationToken).ConfigureAwait(false);
            }

            var rows = await InsertAsync(db, transaction, dialect, target, table, key: mode == "upsert" ? key : null, settings, context).ConfigureAwait(false);
            await transaction.CommitAsync(context.CancellationToken).ConfigureAwait(false);
            context.SetMetric("rows_written", rows);
            return BlockValue.Of(BlockJson.ToElement(new { table = target, mode, rows }));
        }
        catch (DbException e) when (!e.IsTransient && !context.CancellationToken.IsCancellationRequested)
        {
            throw new NonRetryableBlockException($"block {context.Block}: writing {target} in {connection.Name}: {e.Message}", e);
        }
    }

    private static async Task<long> InsertAsync(
        DbConnection db, DbTransaction transaction, SqlDialect dialect, string target, Table table, IReadOnlyList<string>? key, BlockSettings settings, BlockContext context)
    {
        var names = table.Columns.Select(c => c.Name).ToList();
        var perBatch = (int)Math.Clamp(Math.Min(settings.Integer("batch_size") ?? 1000, dialect.MaxParameters / Math.Max(1, names.Count)), 1, int.MaxValue);
        var batch = new List<object?>(perBatch * names.Count);
        long written = 0;
        foreach (var row in table.Rows(context.CancellationToken))
        {
            batch.AddRange(names.Select(name => ToParameter(row[name])));
            if (batch.Count == perBatch * names.Count)
            {
                written += await FlushAsync().ConfigureAwait(false);
            }
        }

        return batch.Count > 0 ? written + await FlushAsync().ConfigureAwait(false) : written;

        async Task<int> FlushAsync()
        {
            var rows = batch.Count / names.Count;
            await ExecuteAsync(db, transaction, dialect.Insert(target, names, rows, key), batch, context.CancellationToken).ConfigureAwait(false);
            batch.Clear();
            return rows;
        }
    }

    private static async Task ExecuteAsync(DbConnection db, DbTransaction transaction, string sql, IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        DatabaseSqlBlock.Bind(command, values);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Values every ADO.NET provider binds: DuckDB's huge and unsigned integers become decimals.</summary>
    private static object? ToParameter(object? value) => value switch
    {
        BigInteger big => (decimal)big,
        ulong unsigned => (decimal)unsigned,
        System.Collections.IEnumerable and not string and not byte[] => System.Text.Json.JsonSerializer.Serialize(value, BlockJson.Options),
        _ => value,
    };
}

using System.Text.Json;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Sql;
using Duraflow.Tests;
using Npgsql;

namespace Duraflow.Blocks.Tests;

/// <summary>SQL blocks, sql.query and sql.write against a real PostgreSQL (started by test.sh) and a SQLite file.</summary>
public sealed class DatabaseSqlTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    public DatabaseSqlTests()
    {
        Execute($"create schema {_schema}");
    }

    public void Dispose()
    {
        Execute($"drop schema if exists {_schema} cascade");
        _folder.Dispose();
    }

    public sealed record Order(long OrderId, string Customer, decimal Amount);

    public static TheoryData<string> Databases => new() { "postgres", "sqlite", "duckdb" };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Sql_write_appends_replaces_and_upserts_then_a_sql_block_reads_it_back(string database)
    {
        var target = Target(database, "orders");
        var first = Orders(new Order(1, "Ada", 10m), new Order(2, "Bob", 5m));

        await RunAsync("sql.write", database, $$"""{"table": "{{target}}", "mode": "upsert", "key": ["order_id"]}""", first);
        await RunAsync("sql.write", database, $$"""{"table": "{{target}}", "mode": "upsert", "key": ["order_id"]}""", Orders(new Order(2, "Bob", 7m), new Order(3, "Cy", 1m)));
        var upserted = await QueryAsync(database, $"select order_id, customer, amount from {target} order by order_id");
        await RunAsync("sql.write", database, $$"""{"table": "{{target}}", "mode": "replace"}""", Orders(new Order(9, "Zed", 2m)));
        var replaced = await QueryAsync(database, $"select order_id from {target}");
        await RunAsync("sql.write", database, $$"""{"table": "{{target}}"}""", Orders(new Order(10, "Al", 3m)));
        var appended = await QueryAsync(database, $"select count(*) as n from {target}");

        Assert.Equal([new Order(1, "Ada", 10m), new Order(2, "Bob", 7m), new Order(3, "Cy", 1m)], upserted.Table!.Rows<Order>());
        Assert.Equal("""[{"order_id":9}]""", replaced.AsJson().GetRawText());
        Assert.Equal("""[{"n":2}]""", appended.AsJson().GetRawText());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task An_injection_attempt_in_a_parameter_is_bound_not_run(string database)
    {
        var target = Target(database, "customers");
        await RunAsync("sql.write", database, $$"""{"table": "{{target}}"}""", Orders(new Order(1, "Ada", 1m)));
        var context = Context(database, parameters: $$"""{"name": "x'; drop table {{target}}; --"}""");

        var found = await DatabaseSqlBlock.RunAsync("sql/find.sql", $"select * from {target} where customer = {{{{ params.name }}}}",
            await SettingsAsync(database, "{}", context), context);

        Assert.Equal(0, found.Table?.CountRows() ?? 0);
        Assert.Equal("""[{"n":1}]""", (await QueryAsync(database, $"select count(*) as n from {target}")).AsJson().GetRawText());
    }

    [Fact]
    public async Task A_sql_block_materializes_a_table_in_the_database_and_records_its_rows()
    {
        var source = Target("postgres", "source");
        await RunAsync("sql.write", "postgres", $$"""{"table": "{{source}}"}""", Orders(new Order(1, "Ada", 10m), new Order(2, "Ada", 5m), new Order(3, "Bob", 1m)));
        var context = Context("postgres", parameters: """{"min": 2}""");
        var settings = await SettingsAsync("postgres", $$"""{"materialize": "table", "target": "{{_schema}}.totals"}""", context);

        var result = await DatabaseSqlBlock.RunAsync("sql/totals.sql",
            $"select customer, sum(amount) as total from {source} where amount >= {{{{ params.min }}}} group by customer", settings, context);
        var totals = await QueryAsync("postgres", $"select customer, total from {_schema}.totals");

        Assert.Equal($$"""{"rows_affected":1,"target":"{{_schema}}.totals"}""", result.Json.GetRawText());
        Assert.Equal("""[{"customer":"Ada","total":15}]""", totals.AsJson().GetRawText());
        Assert.Equal(1, context.Metrics["rows_affected"]);
        Assert.True(context.Metrics.ContainsKey("duration_ms"));
    }

    [Theory]
    [InlineData("postgres", "DECIMAL(4,2)", "15.50")]
    // DuckDB's .NET driver hands out 15.50 as 15.5: the value stays exact, the scale follows it.
    [InlineData("duckdb", "DECIMAL(3,1)", "15.5")]
    public async Task Sums_keep_integers_integral_and_decimals_exact(string database, string decimalType, string total)
    {
        var target = Target(database, "priced");
        await RunAsync("sql.write", database, $$"""{"table": "{{target}}"}""", Orders(new Order(1, "Ada", 10.25m), new Order(2, "Ada", 5.25m)));

        var totals = await QueryAsync(database, $"select sum(order_id) as ids, sum(amount) as total from {target}");

        Assert.Equal(["ids BIGINT", $"total {decimalType}"], totals.Table!.Columns.Select(c => $"{c.Name} {c.Type}"));
        Assert.Equal($$"""[{"ids":3,"total":{{total}}}]""", totals.AsJson().GetRawText());
    }

    [Fact]
    public async Task A_failing_statement_rolls_the_transaction_back_and_is_not_retried()
    {
        var target = Target("postgres", "kept");
        await RunAsync("sql.write", "postgres", $$"""{"table": "{{target}}"}""", Orders(new Order(1, "Ada", 1m)));
        var context = Context("postgres");
        var settings = await SettingsAsync("postgres", "{}", context);

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => DatabaseSqlBlock.RunAsync(
            "sql/bad.sql", $"delete from {target}; select no_such_column from {target}", settings, context));

        Assert.StartsWith("sql/bad.sql in db: 42703", error.Message, StringComparison.Ordinal);
        Assert.Equal("""[{"n":1}]""", (await QueryAsync("postgres", $"select count(*) as n from {target}")).AsJson().GetRawText());
    }

    [Fact]
    public async Task Upsert_without_a_key_says_which_setting_is_missing()
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => RunAsync("sql.write", "sqlite", """{"table": "t", "mode": "upsert"}""", Orders(new Order(1, "Ada", 1m))));

        Assert.Contains("mode upsert needs with.key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sensor_sql_goes_on_once_the_query_is_true_and_times_out_when_it_never_is()
    {
        var target = Target("postgres", "loads");
        await RunAsync("sql.write", "postgres", $$"""{"table": "{{target}}"}""", Orders(new Order(1, "Ada", 1m)));

        var ready = await RunAsync("sensor.sql", "postgres",
            $$$"""{"query": "select count(*) > 0 from {{{target}}} where customer = {{ params.who }}", "poll": "20ms"}""", null, """{"who": "Ada"}""");
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("sensor.sql", "postgres",
            $$$"""{"query": "select count(*) from {{{target}}} where customer = {{ params.who }}", "poll": "20ms", "timeout": "100ms"}""", null, """{"who": "Bob"}"""));

        Assert.True(ready.Json.GetProperty("value").GetBoolean());
        Assert.Contains("(sensor.sql): waited 100ms for db: select count(*)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_sql_block_reads_only_the_rows_after_its_checkpoint_and_moves_it_to_the_last_row_it_read(string database)
    {
        var target = Target(database, "landed");
        await RunAsync("sql.write", database, $$"""{"table": "{{target}}"}""", Orders(new Order(1, "Ada", 10m), new Order(2, "Bob", 5m)));
        var stored = new Dictionary<string, JsonElement>();
        var sql = $"select order_id, customer from {target} where order_id > coalesce({{{{ checkpoint.last_order }}}}, 0) order by order_id";
        const string With = """{"checkpoint": {"name": "last_order", "value": "max(order_id)"}}""";

        async Task<(string Rows, JsonElement? Set)> IncrementAsync()
        {
            var context = Context(database, checkpoints: stored);
            var read = await DatabaseSqlBlock.RunAsync("sql/landed.sql", sql, await SettingsAsync(database, With, context), context);
            var set = context.CheckpointUpdates.TryGetValue("last_order", out var value) ? value : (JsonElement?)null;
            if (set is { } moved)
            {
                stored["last_order"] = moved;
            }

            return (read.AsJson().GetRawText(), set);
        }

        var first = await IncrementAsync();
        await RunAsync("sql.write", database, $$"""{"table": "{{target}}"}""", Orders(new Order(3, "Cy", 1m)));
        var second = await IncrementAsync();
        var nothingNew = await IncrementAsync();

        Assert.Equal("""[{"order_id":1,"customer":"Ada"},{"order_id":2,"customer":"Bob"}]""", first.Rows);
        Assert.Equal(2, first.Set!.Value.GetInt64());
        Assert.Equal("""[{"order_id":3,"customer":"Cy"}]""", second.Rows);
        Assert.Equal(3, second.Set!.Value.GetInt64());
        Assert.Equal("[]", nothingNew.Rows);
        Assert.Null(nothingNew.Set);
        Assert.Equal(3, stored["last_order"].GetInt64());
    }

    [Fact]
    public async Task A_checkpoint_over_a_statement_without_rows_fails_the_block_and_rolls_its_changes_back()
    {
        var target = Target("postgres", "kept");
        await RunAsync("sql.write", "postgres", $$"""{"table": "{{target}}"}""", Orders(new Order(1, "Ada", 10m)));
        var context = Context("postgres");
        var settings = await SettingsAsync("postgres", """{"checkpoint": {"name": "n", "value": "max(order_id)"}}""", context);

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() =>
            DatabaseSqlBlock.RunAsync("sql/purge.sql", $"delete from {target}", settings, context));

        Assert.Contains("with.checkpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("returned none", error.Message, StringComparison.Ordinal);
        Assert.Equal("""[{"n":1}]""", (await QueryAsync("postgres", $"select count(*) as n from {target}")).AsJson().GetRawText());
        Assert.Empty(context.CheckpointUpdates);
    }

    [Fact]
    public async Task A_wrong_checkpoint_expression_names_the_file_and_the_expression()
    {
        var context = Context("sqlite");
        var settings = await SettingsAsync("sqlite", """{"checkpoint": {"name": "n", "value": "max(no_such_column)"}}""", context);

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => DatabaseSqlBlock.RunAsync("sql/one.sql", "select 1 as id", settings, context));

        Assert.StartsWith("sql/one.sql: with.checkpoint.value 'max(no_such_column)'", error.Message, StringComparison.Ordinal);
    }

    private string Target(string database, string name) => database == "postgres" ? $"{_schema}.{name}" : name;

    private Task<BlockValue> QueryAsync(string database, string sql) =>
        RunAsync("sql.query", database, JsonSerializer.Serialize(new { query = sql }), null);

    private async Task<BlockValue> RunAsync(string id, string database, string with, BlockValue? input, string parameters = "{}")
    {
        var context = Context(database, input, parameters);
        var block = BuiltInBlocks.Find(id)!;
        using var document = JsonDocument.Parse(with);
        var merged = JsonSerializer.SerializeToElement(
            document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value).Append(new("connection", JsonSerializer.SerializeToElement("db"))).ToDictionary());
        return await block.Run(await BlockSettings.CreateAsync(merged, block, context), context);
    }

    private static async Task<BlockSettings> SettingsAsync(string database, string with, BlockContext context)
    {
        using var document = JsonDocument.Parse(with);
        var settings = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.Clone());
        settings["connection"] = "db";
        return await BlockSettings.CreateAsync(JsonSerializer.SerializeToElement(settings), "sql", SqlBlockSettings.Fields, context);
    }

    private BlockContext Context(string database, BlockValue? input = null, string parameters = "{}", IReadOnlyDictionary<string, JsonElement>? checkpoints = null) =>
        BlockContexts.Create(_folder.Root, checkpoints: checkpoints,
            inputs: input is null ? null : new Dictionary<string, BlockValue> { ["orders"] = input },
            parameters: parameters,
            connections: new TestConnections(database switch
            {
                "postgres" => TestConnections.Of("db", "postgres", "connection_string", Services.Postgres),
                "duckdb" => TestConnections.Of("db", "duckdb", "path", "warehouse.duckdb"),
                _ => TestConnections.Of("db", "sqlite", "path", "warehouse.db"),
            }));

    private BlockValue Orders(params Order[] orders) =>
        BlockValue.FromResult(orders, "orders", _folder.PathOf("tables"), asJson: false, CancellationToken.None);

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(Services.Postgres);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

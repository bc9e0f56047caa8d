using Duraflow.Blocks.Sql;
using Duraflow.Blocks.Templates;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

public sealed class EmbeddedSqlBlockTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public sealed record Order(long OrderId, string Customer, decimal Amount, string Currency);

    [Fact]
    public async Task Queries_upstream_tables_and_json_with_bound_parameters()
    {
        var orders = Table([new(1, "Ada", 10m, "EUR"), new(2, "Bob", 5m, "USD"), new(3, "Ada", 2.5m, "EUR")]);
        var context = BlockContexts.Create(_folder.Root,
            inputs: new Dictionary<string, BlockValue> { ["orders"] = orders, ["vip"] = BlockContexts.Json("""["Ada"]""") },
            parameters: """{"currency": "EUR"}""");
        const string sql = """
            select customer, sum(amount) as total
            from {{ blocks.orders }}
            where currency = {{ params.currency }} and customer in (select value from {{ blocks.vip }})
            group by customer;
            """;

        var result = await EmbeddedSqlBlock.RunAsync("sql/totals.sql", sql, context);

        Assert.Equal("""[{"customer":"Ada","total":12.5}]""", result.AsJson().GetRawText());
        Assert.Equal(1, context.Metrics["rows_returned"]);
        Assert.True(context.Metrics.ContainsKey("duration_ms"));
    }

    [Fact]
    public async Task A_checkpoint_template_reads_the_stored_watermark_and_with_checkpoint_moves_it_over_the_rows_returned()
    {
        var orders = Table([new(1, "Ada", 10m, "EUR"), new(2, "Bob", 5m, "USD"), new(3, "Ada", 2.5m, "EUR")]);
        const string sql = "select order_id, customer from {{ blocks.orders }} where order_id > coalesce({{ checkpoint.last_id }}, 0) order by order_id";
        var checkpoint = new SqlCheckpoint("last_id", "max(order_id)");
        BlockContext ContextFrom(long? stored) => BlockContexts.Create(_folder.Root,
            inputs: new Dictionary<string, BlockValue> { ["orders"] = orders },
            checkpoints: stored is { } value ? new Dictionary<string, System.Text.Json.JsonElement> { ["last_id"] = System.Text.Json.JsonSerializer.SerializeToElement(value) } : null);

        var fresh = ContextFrom(null);
        var all = await EmbeddedSqlBlock.RunAsync("sql/new.sql", sql, fresh, checkpoint);
        var later = ContextFrom(1);
        var after = await EmbeddedSqlBlock.RunAsync("sql/new.sql", sql, later, checkpoint);
        var done = ContextFrom(3);
        var none = await EmbeddedSqlBlock.RunAsync("sql/new.sql", sql, done, checkpoint);

        Assert.Equal(3, all.Table!.CountRows());
        Assert.Equal(3, fresh.CheckpointUpdates["last_id"].GetInt64());
        Assert.Equal("""[{"order_id":2,"customer":"Bob"},{"order_id":3,"customer":"Ada"}]""", after.AsJson().GetRawText());
        Assert.Equal(3, later.CheckpointUpdates["last_id"].GetInt64());
        Assert.Equal(0, none.Table!.CountRows());
        Assert.Empty(done.CheckpointUpdates);
    }

    [Fact]
    public async Task A_time_watermark_is_kept_as_utc_text_with_every_digit_and_compares_back_exactly()
    {
        // 11:00:00.123456+02 is 09:00:00.123456 UTC: the newest, by a fraction of a second.
        const string rows = "(1, timestamptz '2026-12-07 11:00:00.123456+02'), (2, timestamptz '2026-12-07 09:00:00+00')";
        const string arrived = ", (3, timestamptz '2026-12-07 09:00:00.2+00')";
        var context = BlockContexts.Create(_folder.Root);

        await EmbeddedSqlBlock.RunAsync("sql/events.sql", $"select * from (values {rows}) t(id, seen)", context, new SqlCheckpoint("since", "max(seen)"));
        var mark = context.CheckpointUpdates["since"];
        var later = BlockContexts.Create(_folder.Root, checkpoints: new Dictionary<string, System.Text.Json.JsonElement> { ["since"] = mark });
        var after = await EmbeddedSqlBlock.RunAsync("sql/events.sql",
            $"select id from (values {rows}{arrived}) t(id, seen) where seen > cast({{{{ checkpoint.since }}}} as timestamptz)", later);

        Assert.Equal("2026-12-07 09:00:00.123456+00:00", mark.GetString());
        Assert.Equal("""[{"id":3}]""", after.AsJson().GetRawText());
    }

    [Fact]
    public async Task An_injection_attempt_in_a_parameter_is_only_a_value()
    {
        var orders = Table([new(1, "Ada", 10m, "EUR")]);
        var context = BlockContexts.Create(_folder.Root,
            inputs: new Dictionary<string, BlockValue> { ["orders"] = orders },
            parameters: """{"currency": "EUR' or '1'='1"}""");

        var result = await EmbeddedSqlBlock.RunAsync("sql/q.sql", "select * from {{ blocks.orders }} where currency = {{ params.currency }}", context);

        Assert.Equal(0, result.Table!.CountRows());
        Assert.Equal(1, orders.Table!.CountRows());
    }

    [Fact]
    public void Templates_become_placeholders_and_never_text()
    {
        var context = BlockContexts.Create(_folder.Root, parameters: """{"day": "2026-03-04", "name": "x'; drop table t; --", "n": 3}""");
        var values = TemplateValues.WithoutSecrets(context);
        var types = new Dictionary<string, string> { ["day"] = "date" };

        var bound = SqlTemplate.Bind(
            "select * from {{ blocks.t }} where d = {{ params.day }} and name = {{ params.name }} and n > {{ params.n }} and id = '{{ run.id }}'",
            values, types, name => $"[{name}]", i => $"@p{i}");

        Assert.Equal("select * from [t] where d = @p0 and name = @p1 and n > @p2 and id = '@p3'", bound.Text);
        Assert.Equal([new DateOnly(2026, 3, 4), "x'; drop table t; --", 3L, "run-1"], bound.Parameters);
    }

    [Fact]
    public async Task A_sql_error_names_the_file_and_is_not_retried()
    {
        var context = BlockContexts.Create(_folder.Root, inputs: new Dictionary<string, BlockValue> { ["orders"] = Table([new(1, "Ada", 1m, "EUR")]) });

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => EmbeddedSqlBlock.RunAsync("pipelines/p/sql/q.sql", "select nope from {{ blocks.orders }}", context));

        Assert.StartsWith("pipelines/p/sql/q.sql: Binder Error", error.Message, StringComparison.Ordinal);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_skipped_upstream_reads_as_an_empty_relation()
    {
        var context = BlockContexts.Create(_folder.Root, inputs: new Dictionary<string, BlockValue> { ["maybe"] = BlockValue.Null });

        var result = await EmbeddedSqlBlock.RunAsync("sql/q.sql", "select count(*) as n from {{ blocks.maybe }}", context);

        Assert.Equal("""[{"n":0}]""", result.AsJson().GetRawText());
    }

    private BlockValue Table(Order[] rows) =>
        BlockValue.FromResult(rows, "orders", _folder.PathOf("tables"), asJson: false, CancellationToken.None);
}

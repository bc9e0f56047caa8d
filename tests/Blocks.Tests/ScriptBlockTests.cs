using System.Text.Json;
using Duraflow.Blocks.Scripts;
using Duraflow.Tests;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duraflow.Blocks.Tests;

/// <summary>
/// What a script block does when it runs; <see cref="CompiledScriptBlockTests"/> runs these on scripts compiled in the
/// process, <see cref="CachedScriptBlockTests"/> on scripts loaded from a cache folder, which must behave the same.
/// </summary>
public abstract class ScriptBlockTests : IDisposable
{
    private const string OrdersJson = """
        [
          {"order_id": 1, "order_date": "2026-01-02", "customer": " Ada ", "amount": 12.50, "currency": "EUR"},
          {"order_id": 2, "order_date": "2026-01-03", "customer": "Test", "amount": 0.01, "currency": "EUR"},
          {"order_id": 3, "order_date": "2026-02-04", "customer": "Grace", "amount": 30, "currency": "USD"}
        ]
        """;

    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Returns the script ready to run, produced the way the derived class tests.</summary>
    private protected abstract CompiledScript Compile(string displayPath, string code);

    [Fact]
    public async Task Typed_input_is_read_as_records()
    {
        const string code = """
            public record Order(long OrderId, DateOnly OrderDate, string Customer, decimal Amount, string Currency);
            var orders = Input<Order[]>("load_orders");
            return new { orders.Length, Ids = orders.Sum(o => o.OrderId), Total = orders.Sum(o => o.Amount),
                LastMonth = orders[2].OrderDate.Month, First = orders[0].Customer, Currency = orders[2].Currency };
            """;

        var output = await Run(code, Context(inputs: $$"""{"load_orders": {{OrdersJson}}}"""));

        Assert.Equal(3, output.GetProperty("length").GetInt32());
        Assert.Equal(6, output.GetProperty("ids").GetInt64());
        Assert.Equal(42.51m, output.GetProperty("total").GetDecimal());
        Assert.Equal(2, output.GetProperty("last_month").GetInt32());
        Assert.Equal(" Ada ", output.GetProperty("first").GetString());
        Assert.Equal("USD", output.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task Returned_records_become_a_table_with_snake_case_columns()
    {
        const string code = """
            public record Total(DateOnly OrderDate, decimal TotalAmount);
            return new[] { new Total(new DateOnly(2026, 1, 2), 12.5m) };
            """;

        var value = await Compile("blocks/test.csx", code).RunAsync(Context());
        var output = value.AsJson();

        Assert.True(value.IsTable);
        Assert.Equal(["order_date DATE", "total_amount DECIMAL(3,1)"], value.Table!.Columns.Select(c => $"{c.Name} {c.Type}"));

        Assert.Equal("""[{"order_date":"2026-01-02","total_amount":12.5}]""", output.GetRawText());
    }

    [Fact]
    public async Task Script_that_returns_nothing_gives_json_null()
    {
        var output = await Run("""Log.LogInformation("done");""", Context());

        Assert.Equal(JsonValueKind.Null, output.ValueKind);
    }

    [Fact]
    public async Task Untyped_input_is_the_upstream_json()
    {
        const string code = """
            var counts = Input("count_changes");
            return counts.GetProperty("changed").GetInt32() + counts.GetProperty("names").GetArrayLength();
            """;

        var output = await Run(code, Context(inputs: """{"count_changes": {"changed": 3, "names": ["a", "b"]}}"""));

        Assert.Equal(5, output.GetInt32());
    }

    [Fact]
    public async Task Params_are_converted_to_the_requested_types()
    {
        const string code = """
            return new { Next = Param<DateOnly>("day").AddDays(1), Double = Param<decimal>("min_amount") * 2, Currency = Param<string>("currency") };
            """;

        var output = await Run(code, Context(parameters: """{"day": "2026-03-31", "min_amount": 1.25, "currency": "EUR"}"""));

        Assert.Equal("""{"next":"2026-04-01","double":2.50,"currency":"EUR"}""", output.GetRawText());
    }

    [Fact]
    public async Task Run_ids_are_visible_to_the_script()
    {
        var output = await Run("""return $"{RunId} {Attempt} {IdempotencyKey} {ItemIndex}";""", Context(itemIndex: 4));

        Assert.Equal("run-1 2 run-1/test_block[4]/2 4", output.GetString());
    }

    [Fact]
    public async Task Log_lines_reach_the_block_logger()
    {
        var logger = new CollectingLogger();
        const string code = """
            Log.LogInformation("read {Count} rows from {Block}", 3, "load_orders");
            Log.LogWarning("skipped a row");
            """;

        await Run(code, Context(logger: logger));

        Assert.Equal(
            [(LogLevel.Information, "read 3 rows from load_orders"), (LogLevel.Warning, "skipped a row")],
            logger.Entries);
    }

    [Fact]
    public async Task Checkpoint_is_read_and_set()
    {
        const string code = """
            var since = await Checkpoint<DateTimeOffset?>("changed_since");
            var missing = await Checkpoint<int>("never_set");
            SetCheckpoint("changed_since", since.Value.AddDays(1));
            return new { Missing = missing, Updated = await Checkpoint<DateTimeOffset>("changed_since") };
            """;
        var stored = JsonSerializer.SerializeToElement(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var context = Context(checkpoints: (name, _) => Task.FromResult<JsonElement?>(name == "changed_since" ? stored : null));

        var output = await Run(code, context);

        Assert.Equal("""{"missing":0,"updated":"2026-01-03T03:04:05+00:00"}""", output.GetRawText());
        Assert.Equal("2026-01-03T03:04:05+00:00", Assert.Single(context.CheckpointUpdates, u => u.Key == "changed_since").Value.GetString());
    }

    [Fact]
    public async Task Unknown_input_fails_without_retry_and_lists_the_inputs()
    {
        var context = Context(block: "clean_orders", inputs: """{"load_orders": [], "customers": []}""");

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => Run("""return Input<int[]>("load_order");""", context));

        Assert.Equal("block clean_orders has no input 'load_order'; its inputs are: customers, load_orders (did you mean 'load_orders'?)", error.Message);
    }

    [Fact]
    public async Task Unknown_input_of_a_block_without_inputs_says_so()
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => Run("""return Input("upstream");""", Context()));

        Assert.Equal("block test_block has no input 'upstream'; it has no inputs", error.Message);
    }

    [Fact]
    public async Task Unknown_param_fails_without_retry_and_lists_the_parameters()
    {
        var context = Context(parameters: """{"min_amount": 1, "currency": "EUR"}""");

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => Run("""return Param<decimal>("min_amonut");""", context));

        Assert.Equal("pipeline orders has no parameter 'min_amonut'; its parameters are: currency, min_amount (did you mean 'min_amount'?)", error.Message);
    }

    [Fact]
    public async Task Input_that_does_not_convert_fails_without_retry_naming_the_row_field_value_and_fix()
    {
        const string code = """
            public record Order(long OrderId, decimal Amount);
            return Input<List<Order>>("load_orders").Count;
            """;

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => Run(code, Context(inputs: """{"load_orders": [{"order_id": "not a number"}]}""")));

        Assert.Equal(
            "block test_block: row 1 of input 'load_orders': field order_id is \"not a number\", which Order.OrderId (long) cannot hold; make it string",
            error.Message);
    }

    [Fact]
    public async Task Result_that_cannot_be_written_as_json_fails_without_retry()
    {
        const string code = """
            public class Node { public Node Next { get; set; } }
            var node = new Node();
            node.Next = node;
            return node;
            """;

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => Run(code, Context()));

        Assert.StartsWith("block test_block returned a Node that cannot be written as JSON: ", error.Message);
    }

    [Fact]
    public async Task Script_exceptions_propagate_unchanged()
    {
        const string code = """
            var status = 503;
            throw new InvalidOperationException($"the API said {status}");
            """;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(code, Context()));

        Assert.Equal("the API said 503", error.Message);
        // Debug information puts the script's own file and line into the trace the run log shows.
        Assert.Contains("blocks/test.csx:line 2", error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_is_observed_by_a_looping_script()
    {
        using var cancellation = new CancellationTokenSource();
        // The script's first log line cancels the token, so the loop below runs only after cancellation.
        var logger = new CollectingLogger(_ => cancellation.Cancel());
        const string code = """
            Log.LogInformation("started");
            for (var i = 0; i < 100_000_000; i++)
            {
                CancellationToken.ThrowIfCancellationRequested();
            }

            return "ran to the end";
            """;

        var error = await Assert.ThrowsAsync<OperationCanceledException>(
            () => Run(code, Context(logger: logger, cancellationToken: cancellation.Token)));

        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Equal("started", Assert.Single(logger.Entries).Message);
    }

    [Fact]
    public async Task Cancelled_token_stops_the_run_before_the_script_starts()
    {
        var logger = new CollectingLogger();
        var context = Context(logger: logger, cancellationToken: new CancellationToken(canceled: true));

        await Assert.ThrowsAsync<OperationCanceledException>(() => Run("""Log.LogInformation("ran");""", context));

        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task Clean_orders_example_drops_small_orders_and_trims_names()
    {
        var context = Context(block: "clean_orders", inputs: $$"""{"load_orders": {{OrdersJson}}}""", parameters: """{"min_amount": 1}""");

        var output = await RunExample("orders", "clean_orders", context);

        // A table now: the amount column is DECIMAL(4,2), as wide as the data, so 30 reads back as 30.00.
        Assert.Equal(
            """[{"order_id":1,"order_date":"2026-01-02","customer":"Ada","amount":12.50,"currency":"EUR"},"""
                + """{"order_id":3,"order_date":"2026-02-04","customer":"Grace","amount":30.00,"currency":"USD"}]""",
            output.GetRawText());
    }

    [Fact]
    public async Task Count_changes_example_counts_only_when_the_checkpoint_is_old()
    {
        var recent = JsonSerializer.SerializeToElement(DateTimeOffset.UtcNow);

        var first = Context();
        var firstRun = await RunExample("refresh_customers", "count_changes", first);
        var recentContext = Context(checkpoints: (_, _) => Task.FromResult<JsonElement?>(recent));
        var recentRun = await RunExample("refresh_customers", "count_changes", recentContext);

        Assert.Equal("""{"changed":3,"since":"0001-01-01T00:00:00+00:00"}""", firstRun.GetRawText());
        Assert.True(first.CheckpointUpdates.ContainsKey("customers_changed_since"));
        Assert.Equal(0, recentRun.GetProperty("changed").GetInt32());
        Assert.Empty(recentContext.CheckpointUpdates);
        Assert.Equal(recent.GetString(), recentRun.GetProperty("since").GetString());
    }

    [Fact]
    public async Task Report_unchanged_example_logs_and_passes_on_the_counts()
    {
        var logger = new CollectingLogger();
        var context = Context(inputs: """{"count_changes": {"changed":0}}""", logger: logger);

        var output = await RunExample("refresh_customers", "report_unchanged", context);

        Assert.Equal("""{"changed":0}""", output.GetRawText());
        Assert.Equal("""customers unchanged: {"changed":0}""", Assert.Single(logger.Entries).Message);
    }

    [Fact]
    public async Task Region_reports_examples_fan_out_and_combine()
    {
        const string day = """{"day": "2026-05-01"}""";
        var logger = new CollectingLogger();

        var regions = await RunExample("region_reports", "list_regions", Context());
        var reports = new List<JsonElement>();
        foreach (var (region, index) in regions.EnumerateArray().Select((r, i) => (r, i)))
        {
            var inputs = JsonSerializer.Serialize(new Dictionary<string, JsonElement> { ["list_regions"] = region });
            reports.Add(await RunExample("region_reports", "region_report", Context(inputs: inputs, parameters: day, logger: logger, itemIndex: index)));
        }

        var combineInputs = JsonSerializer.Serialize(new Dictionary<string, List<JsonElement>> { ["region_report"] = reports });
        var combined = await RunExample("region_reports", "combine_reports", Context(inputs: combineInputs));

        Assert.Equal("""["north","south","east","west"]""", regions.GetRawText());
        Assert.Equal("""{"region":"north","day":"2026-05-01","orders":50}""", reports[0].GetRawText());
        // The date's layout follows the machine's culture, so only the region is checked.
        Assert.StartsWith("building the west report for ", logger.Entries[3].Message, StringComparison.Ordinal);
        Assert.Equal("""{"regions":4,"orders":180}""", combined.GetRawText());
    }

    [Fact]
    public async Task Settings_are_read_one_by_one_converted_and_all_together_as_json()
    {
        const string code = """
            var top = Setting<int>("top");
            var regions = Setting<List<string>>("regions");
            var missing = Setting<string?>("note");
            return new { top, regions = string.Join("+", regions), note = missing ?? "none", all = Settings.GetRawText(), root = ProjectRoot.Length > 0 };
            """;
        var context = Context();
        context.Settings = new Dictionary<string, JsonElement>
        {
            ["top"] = JsonSerializer.SerializeToElement(3),
            ["regions"] = JsonSerializer.SerializeToElement(new List<string> { "north", "west" }),
            ["note"] = JsonSerializer.SerializeToElement<string?>(null),
        };

        var output = await Run(code, context);

        Assert.Equal(3, output.GetProperty("top").GetInt32());
        Assert.Equal("north+west", output.GetProperty("regions").GetString());
        Assert.Equal("none", output.GetProperty("note").GetString());
        Assert.Equal("""{"top":3,"regions":["north","west"],"note":null}""", output.GetProperty("all").GetString());
        Assert.True(output.GetProperty("root").GetBoolean());
    }

    [Fact]
    public async Task A_setting_the_block_does_not_have_fails_without_retry_and_lists_the_ones_it_has()
    {
        var context = Context();
        context.Settings = new Dictionary<string, JsonElement> { ["region"] = JsonSerializer.SerializeToElement("north") };

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => Run("""return Setting<string>("regoin");""", context));

        Assert.Equal("block test_block has no setting 'regoin' under with:; its settings are: region (did you mean 'region'?)", error.Message);
    }

    [Fact]
    public async Task A_setting_that_does_not_convert_fails_without_retry_naming_it()
    {
        var context = Context();
        context.Settings = new Dictionary<string, JsonElement> { ["top"] = JsonSerializer.SerializeToElement("many") };

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => Run("""return Setting<int>("top");""", context));

        Assert.StartsWith("block test_block: setting 'top' cannot be read as int: ", error.Message, StringComparison.Ordinal);
    }

    private async Task<JsonElement> Run(string code, BlockContext context) =>
        (await Compile("blocks/test.csx", code).RunAsync(context)).AsJson();

    private async Task<JsonElement> RunExample(string pipeline, string block, BlockContext context)
    {
        var path = Path.Combine(RepositoryPaths.Examples, "pipelines", pipeline, "blocks", block + ".csx");
        return (await Compile($"pipelines/{pipeline}/blocks/{block}.csx", File.ReadAllText(path)).RunAsync(context)).AsJson();
    }

    private BlockContext Context(
        string block = "test_block",
        string inputs = "{}",
        string parameters = "{}",
        ILogger? logger = null,
        Func<string, CancellationToken, Task<JsonElement?>>? checkpoints = null,
        int? itemIndex = null,
        CancellationToken cancellationToken = default) => new()
        {
            RunId = "run-1",
            Pipeline = "orders",
            Block = block,
            ItemIndex = itemIndex,
            Attempt = 2,
            IdempotencyKey = itemIndex is { } i ? $"run-1/{block}[{i}]/2" : $"run-1/{block}/2",
            Parameters = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(parameters)!,
            Inputs = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(inputs)!.ToDictionary(i => i.Key, i => BlockValue.Of(i.Value)),
            WorkDirectory = _folder.PathOf("work"),
            Logger = logger ?? NullLogger.Instance,
            ReadCheckpoint = checkpoints ?? ((_, _) => Task.FromResult<JsonElement?>(null)),
            CancellationToken = cancellationToken,
        };
}

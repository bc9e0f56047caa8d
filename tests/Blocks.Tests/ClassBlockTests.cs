using System.Text.Json;
using Duraflow.Blocks.Compiled;
using Duraflow.Blocks.Tests.Samples;
using Duraflow.Tests;
using Microsoft.Extensions.Logging;

namespace Duraflow.Blocks.Tests;

/// <summary>Compiled blocks: which classes are blocks, and how a block's parameters are filled and its result stored.</summary>
public sealed class ClassBlockTests : IDisposable
{
    private static readonly Order[] Orders = [new(1, "Ada", 12.5m), new(2, "Grace", 30m), new(3, "Ada", 0.5m), new(4, "Linus", 7m)];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Parameters_read_values_by_their_snake_case_names_and_the_context_and_token_by_type()
    {
        var block = Create(typeof(CustomerTotals));
        var asynchronous = Create(typeof(AsyncSummary));

        Assert.Equal(
            [("loadOrders", "load_orders", ClassBlockParameterKind.Value), ("minAmount", "min_amount", ClassBlockParameterKind.Value), ("context", null, ClassBlockParameterKind.Context)],
            block.Parameters.Select(p => (p.Name, p.ValueName, p.Kind)));
        Assert.Equal(["load_orders", "settings"], asynchronous.Values.Select(v => v.ValueName));
        Assert.Equal(ClassBlockParameterKind.CancellationToken, asynchronous.Parameters[^1].Kind);
        Assert.Equal("RunAsync", asynchronous.Method.Name);
    }

    [Theory]
    [InlineData(typeof(InternalBlock), "is not public; make it public")]
    [InlineData(typeof(AbstractBlock), "is abstract; name a concrete class")]
    [InlineData(typeof(StaticBlock), "is static; make it a non-static class")]
    [InlineData(typeof(GenericBlock<>), "is generic; a block class cannot have type parameters")]
    [InlineData(typeof(NoDefaultConstructor), "has no public parameterless constructor; add one (a new instance runs each attempt)")]
    [InlineData(typeof(NoRun), "has no public method named RunAsync or Run; add one, e.g. public IEnumerable<Total> Run(IEnumerable<Order> loadOrders)")]
    [InlineData(typeof(TwoRuns), "has 2 public RunAsync/Run methods (Run(), RunAsync(int)); keep exactly one")]
    [InlineData(typeof(StaticRun), "has a static Run; make it an instance method")]
    [InlineData(typeof(GenericRun), "has a generic Run; a block's method cannot have type parameters")]
    [InlineData(typeof(RefParameter), "has Run with a ref, out, in or pointer parameter 'count'; block values are passed by value")]
    [InlineData(typeof(SameValueTwice), "has Run with parameters 'orderId' and 'order_id', which both read 'order_id'; rename one")]
    [InlineData(typeof(AsyncRows), "has RunAsync returning IAsyncEnumerable<int>, which is not supported; return IEnumerable<T> or Task<List<T>>")]
    [InlineData(typeof(JsonElement), "is not a class; a block is a public class with a Run or RunAsync method")]
    public void Classes_that_are_not_blocks_are_refused_with_the_fix(Type type, string expected)
    {
        var block = ClassBlock.TryCreate(type, out var error);

        Assert.Null(block);
        Assert.Equal(expected, error);
    }

    [Fact]
    public async Task A_streamed_table_input_and_a_parameter_give_a_table_output()
    {
        var logger = new CollectingLogger();
        var context = Context(new() { ["load_orders"] = Table(Orders) }, """{"min_amount": 1}""", logger);

        var output = await Create(typeof(CustomerTotals)).RunAsync(context);

        Assert.True(output.IsTable);
        Assert.Equal(["customer VARCHAR", "total DECIMAL(3,1)"], output.Table!.Columns.Select(c => $"{c.Name} {c.Type}"));
        Assert.Equal("""[{"customer":"Ada","total":12.5},{"customer":"Grace","total":30.0},{"customer":"Linus","total":7.0}]""", output.AsJson().GetRawText());
        Assert.Equal([(LogLevel.Information, "totals from 1")], logger.Entries);
    }

    [Fact]
    public async Task An_async_block_reads_an_array_and_a_json_record_and_returns_json()
    {
        var context = Context(new() { ["load_orders"] = Table(Orders), ["settings"] = BlockContexts.Json("""{"currency": "EUR", "top": 2}""") });

        var output = await Create(typeof(AsyncSummary)).RunAsync(context);

        Assert.False(output.IsTable);
        Assert.Equal("""{"currency":"EUR","orders":4,"top":[2,1]}""", output.Json.GetRawText());
    }

    [Fact]
    public async Task Table_parameters_receive_the_table_itself()
    {
        var output = await Create(typeof(TakesTable)).RunAsync(Context(new() { ["load_orders"] = Table(Orders) }));

        Assert.Equal(4, output.Json.GetInt64());
    }

    [Fact]
    public async Task ValueTask_results_are_awaited()
    {
        var output = await Create(typeof(Doubles)).RunAsync(Context(parameters: """{"count": 21}"""));

        Assert.Equal(42, output.Json.GetInt32());
    }

    [Fact]
    public async Task Methods_without_a_result_give_json_null_and_their_context_changes_stay()
    {
        var checkpoint = Context();
        var metric = Context();

        var fromTask = await Create(typeof(RecordsCheckpoint)).RunAsync(checkpoint);
        var fromVoid = await Create(typeof(SetsMetric)).RunAsync(metric);

        Assert.Equal(JsonValueKind.Null, fromTask.Json.ValueKind);
        Assert.Equal(JsonValueKind.Null, fromVoid.Json.ValueKind);
        Assert.Equal("2026-11-24", checkpoint.CheckpointUpdates["done_at"].GetString());
        Assert.Equal(1, metric.Metrics["ran"]);
    }

    [Fact]
    public async Task Null_values_take_the_parameters_csharp_defaults()
    {
        var withNulls = Context(new() { ["limit"] = BlockValue.Null }, """{"label": null}""");
        var withValues = Context(new() { ["limit"] = BlockContexts.Json("3") }, """{"label": "top"}""");

        var defaults = await Create(typeof(UsesDefaults)).RunAsync(withNulls);
        var given = await Create(typeof(UsesDefaults)).RunAsync(withValues);

        Assert.Equal("7 none", defaults.Json.GetString());
        Assert.Equal("3 top", given.Json.GetString());
    }

    [Fact]
    public async Task The_blocks_own_exceptions_propagate_unwrapped_so_the_retry_policy_applies()
    {
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Create(typeof(Throws)).RunAsync(Context()));
        var thrownLater = await Assert.ThrowsAsync<TimeoutException>(() => Create(typeof(ThrowsLater)).RunAsync(Context()));

        Assert.Equal("the API said 503", thrown.Message);
        Assert.Equal("too late", thrownLater.Message);
    }

    [Fact]
    public async Task A_disposable_block_is_disposed_after_its_attempt()
    {
        var output = await Create(typeof(Disposable)).RunAsync(Context());

        Assert.True(Disposable.Disposed[output.Json.GetGuid()]);
    }

    [Fact]
    public async Task A_value_that_is_neither_an_input_nor_a_parameter_fails_without_retry()
    {
        var context = Context(new() { ["load_order"] = Table(Orders) }, """{"min_amount": 1}""");

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => Create(typeof(CustomerTotals)).RunAsync(context));

        Assert.Equal(
            "block test_block: parameter 'loadOrders' of Duraflow.Blocks.Tests.Samples.CustomerTotals.Run reads 'load_orders', which is no input "
            + "of the block (load_order), no with: setting (none) and no run parameter (min_amount); did you mean 'load_order'? rename the parameter",
            error.Message);
    }

    [Fact]
    public async Task A_with_setting_fills_the_parameter_of_its_name_before_a_run_parameter_of_the_same_name()
    {
        var context = Context(new() { ["load_orders"] = Table(Orders) }, """{"min_amount": 100}""");
        context.Settings = new Dictionary<string, JsonElement> { ["min_amount"] = JsonSerializer.SerializeToElement(10) };

        var output = await Create(typeof(CustomerTotals)).RunAsync(context);

        Assert.Equal("""[{"customer":"Ada","total":12.5},{"customer":"Grace","total":30.0}]""", output.AsJson().GetRawText());
    }

    [Fact]
    public async Task A_name_that_is_both_an_input_and_a_setting_fails_without_retry_instead_of_picking_one()
    {
        var context = Context(new() { ["load_orders"] = Table(Orders) }, """{"min_amount": 1}""");
        context.Settings = new Dictionary<string, JsonElement> { ["load_orders"] = JsonSerializer.SerializeToElement("[]") };

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => Create(typeof(CustomerTotals)).RunAsync(context));

        Assert.Contains("reads 'load_orders', which is both an upstream block and a with: setting of the block; rename the setting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_that_does_not_convert_fails_without_retry_naming_it()
    {
        var context = Context(new() { ["settings"] = BlockContexts.Json("""{"top": "many"}"""), ["load_orders"] = Table(Orders) });

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => Create(typeof(AsyncSummary)).RunAsync(context));

        Assert.Equal("block test_block: input 'settings': field top is \"many\", which Settings.Top (int) cannot hold; make it string", error.Message);
    }

    [Fact]
    public async Task A_cancelled_attempt_does_not_start_the_block()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var context = BlockContexts.Create(_folder.Root, cancellationToken: cancelled.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Create(typeof(SetsMetric)).RunAsync(context));

        Assert.Empty(context.Metrics);
    }

    private static ClassBlock Create(Type type) =>
        ClassBlock.TryCreate(type, out var error) ?? throw new InvalidOperationException($"{type.Name} {error}");

    private BlockValue Table(IEnumerable<Order> rows) =>
        BlockValue.FromResult(rows.ToList(), "load_orders", Path.Combine(_folder.Root, "tables"), asJson: false, CancellationToken.None);

    private BlockContext Context(Dictionary<string, BlockValue>? inputs = null, string parameters = "{}", ILogger? logger = null) =>
        BlockContexts.Create(_folder.Root, inputs, parameters, logger: logger);
}

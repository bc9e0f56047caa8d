using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Tests.Workers;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Caching;

/// <summary>
/// The cache hit/miss matrix over whole runs on SQLite: what changes a key (code, settings, input content, parameters
/// read, the key template) recomputes that block and the blocks whose inputs changed, and nothing else.
/// </summary>
public sealed class BlockCacheRunTests : IDisposable
{
    private static readonly CachePolicy Cached = new(null, null);

    // What each block returns; the tests change it between runs to change an output's content.
    private readonly Dictionary<string, Func<BlockContext, object?>> _outputs = new(StringComparer.Ordinal)
    {
        ["a"] = _ => 1,
        ["b"] = c => c.Inputs["a"].Json.GetInt32() + 10,
    };

    private readonly StepEngine _engine;

    public BlockCacheRunTests() => _engine = new StepEngine((block, context) => Task.FromResult(_outputs[block.Name](context)));

    public void Dispose() => _engine.Dispose();

    private static RunPlan Chain(string codeOfA = "return 1;", string codeOfB = "return 11;", JsonElement? withOfA = null, JsonElement? withOfB = null) =>
        Of(Block("a") with { Cache = Cached, With = withOfA }, Block("b", "a") with { Cache = Cached, With = withOfB }) with
        {
            Files = new Dictionary<string, string> { ["blocks/a.csx"] = codeOfA, ["blocks/b.csx"] = codeOfB },
        };

    private async Task<RunState> RunAsync(RunPlan plan, string parameters = "{}")
    {
        var given = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(parameters)!;
        return await _engine.FinishAsync(await _engine.Engine.StartRunAsync(plan, given, "test"));
    }

    private int[] CallsSince(ref int seen, params string[] blocks)
    {
        var calls = _engine.Calls.ToArray();
        var since = calls.Skip(seen).ToList();
        seen = calls.Length;
        var counts = blocks.Select(b => since.Count(c => c.Block == b)).ToArray();
        return counts;
    }

    [Fact]
    public async Task An_identical_run_is_all_cached_and_each_change_recomputes_its_block_and_only_the_downstream_blocks_whose_input_changed()
    {
        var seen = 0;
        var first = await RunAsync(Chain());
        Assert.Equal([1, 1], CallsSince(ref seen, "a", "b"));

        var same = await RunAsync(Chain());
        Assert.Equal([0, 0], CallsSince(ref seen, "a", "b"));
        Assert.Equal((BlockStatus.Cached, BlockStatus.Cached), (same.Block("a").Status, same.Block("b").Status));
        Assert.Equal((first.RunId, first.RunId), (same.Block("a").CachedFrom, same.Block("b").CachedFrom));
        Assert.Equal(first.Block("b").Output, same.Block("b").Output);

        // b's code: b runs again, a does not.
        await RunAsync(Chain(codeOfB: "return 12;"));
        Assert.Equal([0, 1], CallsSince(ref seen, "a", "b"));

        // a's settings: a runs again; its output is the same, so b keeps its entry (its key is its inputs' content).
        var settingsChanged = await RunAsync(Chain(codeOfB: "return 12;", withOfA: JsonDocument.Parse("""{ "limit": 5 }""").RootElement));
        Assert.Equal([1, 0], CallsSince(ref seen, "a", "b"));
        Assert.Equal(BlockStatus.Cached, settingsChanged.Block("b").Status);

        // a's output content: with a's code changed too, a and b both run, and b sees the new input.
        _outputs["a"] = _ => 2;
        var contentChanged = await RunAsync(Chain(codeOfA: "return 2;", codeOfB: "return 12;"));
        Assert.Equal([1, 1], CallsSince(ref seen, "a", "b"));
        Assert.Equal("json:12", contentChanged.Block("b").Output);
    }

    [Fact]
    public async Task Only_the_parameters_a_block_reads_are_in_its_key()
    {
        var seen = 0;
        var withOfB = JsonDocument.Parse("""{ "day": "{{ params.day }}" }""").RootElement;
        var plan = Chain(withOfB: withOfB);
        await RunAsync(plan, """{ "day": "2026-12-01", "other": 1 }""");
        CallsSince(ref seen, "a", "b");

        await RunAsync(plan, """{ "day": "2026-12-01", "other": 2 }""");
        Assert.Equal([0, 0], CallsSince(ref seen, "a", "b"));

        await RunAsync(plan, """{ "day": "2026-12-02", "other": 2 }""");
        Assert.Equal([0, 1], CallsSince(ref seen, "a", "b"));
    }

    [Fact]
    public async Task A_script_that_reads_parameters_by_literal_name_is_keyed_by_them_and_one_reading_a_computed_name_by_all()
    {
        var seen = 0;
        var literal = Chain(codeOfA: """return Param<string>("region");""");
        await RunAsync(literal, """{ "region": "eu", "other": 1 }""");
        await RunAsync(literal, """{ "region": "eu", "other": 2 }""");
        await RunAsync(literal, """{ "region": "us", "other": 2 }""");
        Assert.Equal([2], CallsSince(ref seen, "a"));

        var computed = Chain(codeOfA: """var name = "reg" + "ion"; return Param<string>(name);""");
        await RunAsync(computed, """{ "region": "eu", "other": 1 }""");
        await RunAsync(computed, """{ "region": "eu", "other": 2 }""");
        Assert.Equal([2], CallsSince(ref seen, "a"));
    }

    [Fact]
    public async Task A_policy_of_inputs_only_ignores_code_changes_and_a_key_template_alone_keys_by_its_value()
    {
        var seen = 0;
        RunPlan Plan(string code) => Of(
            Block("a") with { Cache = new CachePolicy(null, "{{ params.day }}", []) },
            Block("b", "a") with { Cache = new CachePolicy(null, null, [CacheParts.Inputs]) }) with
        {
            Files = new Dictionary<string, string> { ["blocks/a.csx"] = code, ["blocks/b.csx"] = code },
        };

        await RunAsync(Plan("v1"), """{ "day": "mon" }""");
        await RunAsync(Plan("v2"), """{ "day": "mon" }""");
        Assert.Equal([1, 1], CallsSince(ref seen, "a", "b"));

        await RunAsync(Plan("v2"), """{ "day": "tue" }""");
        Assert.Equal([1, 0], CallsSince(ref seen, "a", "b"));
    }

    [Fact]
    public async Task A_failed_block_leaves_no_entry_so_the_next_run_computes_it()
    {
        var seen = 0;
        _outputs["a"] = _ => throw new NonRetryableBlockException("source down");
        var failed = await RunAsync(Chain());
        _outputs["a"] = _ => 1;
        var next = await RunAsync(Chain());

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal(BlockStatus.Succeeded, next.Block("a").Status);
        Assert.Equal([2, 1], CallsSince(ref seen, "a", "b"));
        Assert.Equal([("a", next.RunId), ("b", next.RunId)],
            (await _engine.Sqlite.ListCacheEntriesAsync("test", null, CancellationToken.None)).Select(e => (e.Block, e.RunId)));
    }

    [Fact]
    public async Task Fan_out_items_are_cached_one_by_one()
    {
        var seen = 0;
        var items = new[] { 1, 2, 3 };
        _outputs["list"] = _ => items;
        _outputs["square"] = c => c.Inputs["list"].Json.GetInt32() * c.Inputs["list"].Json.GetInt32();
        RunPlan Plan(string listCode) => Of(Block("list") with { FanOut = true, Cache = Cached }, Block("square", "list") with { MappedOver = "list", Cache = Cached }) with
        {
            Files = new Dictionary<string, string> { ["blocks/list.csx"] = listCode, ["blocks/square.csx"] = "x*x" },
        };

        await RunAsync(Plan("v1"));
        var again = await RunAsync(Plan("v1"));
        Assert.Equal([1, 3], CallsSince(ref seen, "list", "square"));
        Assert.Equal(BlockStatus.Cached, again.Block("square").Status);
        Assert.Equal(3, again.Block("list").Items);

        items = [1, 2, 4];
        var changed = await RunAsync(Plan("v2"));
        Assert.Equal([1, 1], CallsSince(ref seen, "list", "square"));
        Assert.Equal([BlockStatus.Cached, BlockStatus.Cached, BlockStatus.Succeeded], Enumerable.Range(0, 3).Select(i => changed.Block($"square[{i}]").Status));
        Assert.Equal("json:16", changed.Block("square[2]").Output);
        Assert.Equal(BlockStatus.Succeeded, changed.Block("square").Status);
    }

    [Fact]
    public async Task Two_runs_racing_on_one_key_compute_it_at_most_twice_and_agree_and_the_next_run_hits()
    {
        var seen = 0;
        var plan = Chain();
        var one = await _engine.Engine.StartRunAsync(plan, new Dictionary<string, JsonElement>(), "test");
        var two = await _engine.Engine.StartRunAsync(plan, new Dictionary<string, JsonElement>(), "test");
        // Two worker hosts over one store, as two processes would be.
        var both = await Task.WhenAll(_engine.FinishAsync(one), _engine.FinishAsync(two));

        var calls = CallsSince(ref seen, "a", "b");
        var third = await RunAsync(plan);

        Assert.All(calls, c => Assert.InRange(c, 1, 2));
        Assert.All(both, s => Assert.Equal("json:11", s.Block("b").Output));
        Assert.Equal([0, 0], CallsSince(ref seen, "a", "b"));
        Assert.Equal(BlockStatus.Cached, third.Block("b").Status);
        Assert.Equal(2, (await _engine.Sqlite.ListCacheEntriesAsync("test", null, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_parameter_a_setting_reads_stays_in_the_key_when_the_policy_drops_params()
    {
        var seen = 0;
        var plan = Of(Block("a") with { Cache = new CachePolicy(null, null, [CacheParts.Code, CacheParts.Settings]), With = JsonDocument.Parse("""{ "path": "data/{{ params.day }}.csv" }""").RootElement }) with
        {
            Files = new Dictionary<string, string> { ["blocks/a.csx"] = "v1" },
        };

        await RunAsync(plan, """{ "day": "1" }""");
        await RunAsync(plan, """{ "day": "2" }""");
        await RunAsync(plan, """{ "day": "2" }""");

        Assert.Equal([2], CallsSince(ref seen, "a"));
    }

    [Fact]
    public async Task Items_run_per_fan_out_item_keep_entries_of_their_own_when_the_policy_drops_inputs()
    {
        var seen = 0;
        _outputs["list"] = _ => new[] { 1, 2, 3 };
        _outputs["square"] = c => c.Inputs["list"].Json.GetInt32() * c.Inputs["list"].Json.GetInt32();
        var plan = Of(Block("list") with { FanOut = true }, Block("square", "list") with { MappedOver = "list", Cache = new CachePolicy(null, null, [CacheParts.Code]) }) with
        {
            Files = new Dictionary<string, string> { ["blocks/list.csx"] = "v1", ["blocks/square.csx"] = "x*x" },
        };

        await RunAsync(plan);
        var again = await RunAsync(plan);

        Assert.Equal([3], CallsSince(ref seen, "square"));
        Assert.Equal(["json:1", "json:4", "json:9"], Enumerable.Range(0, 3).Select(i => again.Block($"square[{i}]").Output));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(BlockStatus.Cached, again.Block($"square[{i}]").Status));
    }
}

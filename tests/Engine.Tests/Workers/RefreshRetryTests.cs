using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>Retrying a failed run on a refreshed definition: what changed runs again, the rest keeps its outputs.</summary>
public sealed class RefreshRetryTests
{
    private static readonly JsonElement Fixed = JsonSerializer.SerializeToElement(new { fixed_it = true });
    private static readonly int[] Items = [1, 2, 3];

    [Fact]
    public async Task The_changed_block_and_those_below_it_run_again_on_the_new_definition_and_the_rest_keep_their_outputs()
    {
        // b fails until its settings are fixed; d does not depend on b, f is new in the refreshed definition.
        using var scenario = new ScenarioEngine((block, context) => block.Name switch
        {
            "b" when block.With is null => throw new NonRetryableBlockException("b needs with.fixed_it"),
            "b" => Task.FromResult<object?>(context.Inputs["a"].Json.GetInt32() + 1),
            "c" => Task.FromResult<object?>(context.Inputs["b"].Json.GetInt32() * 10),
            _ => Task.FromResult<object?>(1),
        });
        var pinned = Of(Block("a"), Block("b", "a"), Block("c", "b"), Block("d", "a"));
        var runId = await scenario.StartAsync(pinned);
        var failed = await scenario.FinishAsync(runId);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal(BlockStatus.Succeeded, failed.Block("d").Status);

        var refreshed = Of(Block("a"), Block("b", "a") with { With = Fixed }, Block("c", "b"), Block("d", "a"), Block("f", "a"));
        Assert.True((await scenario.Engine.RetryAsync(runId, refreshed)).Accepted);
        var final = await scenario.FinishAsync(runId);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal(RunPlanner.Hash(refreshed.ToJson()), final.DefinitionHash);
        Assert.Equal((1, 2, 1, 1, 1), (scenario.CallsOf("a"), scenario.CallsOf("b"), scenario.CallsOf("c"), scenario.CallsOf("d"), scenario.CallsOf("f")));
        Assert.Equal("20", await StoredOutputs.TextAsync(scenario.Engine.Artifacts, final.Block("c").Output!));
        Assert.Equal(failed.Block("d").Output, final.Block("d").Output);
    }

    [Fact]
    public async Task A_changed_block_that_had_succeeded_runs_again_with_everything_below_it_and_a_removed_block_goes()
    {
        var fail = true;
        using var scenario = new ScenarioEngine((block, _) => block.Name == "b" && fail
            ? throw new NonRetryableBlockException("b failed")
            : Task.FromResult<object?>(block.Name));
        var runId = await scenario.StartAsync(Of(Block("a"), Block("b", "a"), Block("old", "a")));
        await scenario.FinishAsync(runId);

        fail = false;
        Assert.True((await scenario.Engine.RetryAsync(runId, Of(Block("a") with { With = Fixed }, Block("b", "a")))).Accepted);
        var final = await scenario.FinishAsync(runId);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal((2, 2, 1), (scenario.CallsOf("a"), scenario.CallsOf("b"), scenario.CallsOf("old")));
        Assert.False(final.Blocks.ContainsKey("old"));
        Assert.Equal(2, final.Block("a").Attempt);
    }

    [Fact]
    public async Task A_changed_block_mapped_over_a_kept_fan_out_gets_its_items_again()
    {
        var fail = true;
        using var scenario = new ScenarioEngine((block, context) => Task.FromResult<object?>(block.Name switch
        {
            "list" => Items,
            "each" when fail => throw new NonRetryableBlockException("each failed"),
            "each" => context.Inputs["list"].Json.GetInt32() * 10,
            _ => context.Inputs["each"].Json.EnumerateArray().Sum(e => e.GetInt32()),
        }));
        var runId = await scenario.StartAsync(Of(Block("list") with { FanOut = true }, Block("each", "list") with { MappedOver = "list" }, Block("all", "each")));
        await scenario.FinishAsync(runId);
        Assert.Equal(3, scenario.CallsOf("each"));

        fail = false;
        var refreshed = Of(Block("list") with { FanOut = true }, Block("each", "list") with { MappedOver = "list", With = Fixed }, Block("all", "each"));
        Assert.True((await scenario.Engine.RetryAsync(runId, refreshed)).Accepted);
        var final = await scenario.FinishAsync(runId);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal((1, 6, 1), (scenario.CallsOf("list"), scenario.CallsOf("each"), scenario.CallsOf("all")));
        Assert.Equal("60", await StoredOutputs.TextAsync(scenario.Engine.Artifacts, final.Block("all").Output!));
    }

    [Fact]
    public async Task A_run_that_succeeded_cannot_be_retried_on_a_refreshed_definition_either()
    {
        using var scenario = new ScenarioEngine((_, _) => Task.FromResult<object?>(1));
        var runId = await scenario.StartAsync(Of(Block("a")));
        await scenario.FinishAsync(runId);

        var decision = await scenario.Engine.RetryAsync(runId, Of(Block("a") with { With = Fixed }));

        Assert.False(decision.Accepted);
        Assert.Contains("only a failed or cancelled run can be retried", decision.Rejection, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("added", "now declare parameter extra")]
    [InlineData("retyped", "change the type of parameter n")]
    [InlineData("unmasked", "no longer declare parameter n secret")]
    public async Task Files_that_change_the_runs_parameters_are_refused(string change, string reason)
    {
        using var scenario = new ScenarioEngine((_, _) => throw new NonRetryableBlockException("broken"));
        var pinned = Of(Block("a")) with { ParameterTypes = new Dictionary<string, ParameterType> { ["n"] = ParameterType.Int }, SecretParameters = ["n"] };
        var runId = await scenario.StartAsync(pinned);
        await scenario.FinishAsync(runId);
        var refreshed = change switch
        {
            "added" => pinned with { ParameterTypes = new Dictionary<string, ParameterType> { ["n"] = ParameterType.Int, ["extra"] = ParameterType.String } },
            "retyped" => pinned with { ParameterTypes = new Dictionary<string, ParameterType> { ["n"] = ParameterType.String } },
            _ => pinned with { SecretParameters = null },
        };

        var decision = await scenario.Engine.RetryAsync(runId, refreshed);

        Assert.False(decision.Accepted);
        Assert.Equal($"the pipeline's files {reason}, and the run keeps the parameters it was started with; start a new run instead", decision.Rejection);
    }

    [Fact]
    public void Only_the_changed_blocks_and_their_downstream_blocks_are_rerun()
    {
        var pinned = Of(Block("a"), Block("b", "a"), Block("c", "b"), Block("d", "a")) with { Files = new Dictionary<string, string> { ["q.sql"] = "select 1" } };
        Assert.True(Duraflow.Blocks.Catalog.BlockUses.TryParse("sql:q.sql", out var uses, out _));
        var sqlBlock = Block("e") with { Uses = uses! };

        Assert.Empty(PlanChanges.Rerun(pinned, pinned));
        Assert.Equal(["b", "c"], PlanChanges.Rerun(pinned, pinned with { Blocks = [Block("a"), Block("b", "a") with { Timeout = TimeSpan.FromMinutes(1) }, Block("c", "b"), Block("d", "a")] }));
        var withSql = pinned with { Blocks = [.. pinned.Blocks, sqlBlock] };
        Assert.Empty(PlanChanges.Rerun(withSql, withSql with { Timeout = TimeSpan.FromHours(1) }));

        // An SLA only watches a block: adding one reruns nothing.
        Assert.Empty(PlanChanges.Rerun(pinned, pinned with { Blocks = [Block("a") with { Sla = TimeSpan.FromMinutes(5) }, .. pinned.Blocks.Skip(1)] }));
        Assert.Equal(["e"], PlanChanges.Rerun(withSql, withSql with { Files = new Dictionary<string, string> { ["q.sql"] = "select 2" } }));
    }
}

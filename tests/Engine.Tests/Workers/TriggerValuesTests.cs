using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>What a trigger knows reaches blocks as <c>{{ trigger.* }}</c>, and a schedule's tick as <c>run.scheduled_time</c>.</summary>
public sealed class TriggerValuesTests
{
    [Fact]
    public async Task Trigger_values_given_at_start_reach_every_block_and_survive_in_the_snapshot()
    {
        var seen = new List<(string Name, string? Time)>();
        using var scenario = new ScenarioEngine((block, context) =>
        {
            lock (seen)
            {
                seen.Add((context.Trigger["blob"].GetProperty("name").GetString()!, context.Run["scheduled_time"].GetString()));
            }

            return Task.FromResult<object?>(null);
        });
        var values = new Dictionary<string, JsonElement>
        {
            ["blob"] = JsonSerializer.SerializeToElement(new { name = "in/2026-11-24.csv", container = "landing" }),
            ["scheduled_time"] = JsonSerializer.SerializeToElement("2026-11-24T06:00:00+00:00"),
        };

        var runId = await scenario.Engine.StartRunAsync(Of(Block("a"), Block("b", "a")), new Dictionary<string, JsonElement>(), "blob", triggerValues: values);
        var final = await scenario.FinishAsync(runId);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal([("in/2026-11-24.csv", "2026-11-24T06:00:00+00:00"), ("in/2026-11-24.csv", "2026-11-24T06:00:00+00:00")], seen);
        var stored = (await scenario.Engine.Store.GetRunAsync(runId, CancellationToken.None))!.State;
        Assert.Equal("landing", stored.TriggerValues["blob"].GetProperty("container").GetString());
    }

    [Fact]
    public async Task A_run_started_by_hand_has_no_trigger_values_and_its_request_time_as_scheduled_time()
    {
        BlockContext? context = null;
        using var scenario = new ScenarioEngine((_, c) =>
        {
            context = c;
            return Task.FromResult<object?>(null);
        });

        var final = await scenario.RunAsync(Of(Block("a")));

        Assert.Empty(context!.Trigger);
        Assert.Equal(final.RequestedAt, context.Run["scheduled_time"].GetDateTimeOffset());
    }
}

using System.Text;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Validation;
using Duraflow.Tests;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Duraflow.Durable.Tests;

/// <summary>
/// How the orchestrator keeps its history short and old histories valid: a long run continues as new at quiet points
/// and carries what it still had to do; an orchestration started with revision 1 still runs the way revision 1 did.
/// </summary>
[Trait("Requires", "Azurite")]
public sealed class OrchestrationHistoryTests : IDisposable
{
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_long_chain_continues_as_new_with_its_pending_retry_delay_and_keeps_every_output()
    {
        // 99 steps, then a block whose first attempt fails: its dispatch is the execution's 100th activity call, so the
        // retry delay it asks for is the pending work at the quiet point where the execution continues as new.
        const int Steps = RunOrchestration.CallsPerExecution - 1;
        var yaml = new StringBuilder("name: long\nblocks:\n  - { name: s0, uses: script:first.csx }\n");
        for (var i = 1; i < Steps; i++)
        {
            yaml.Append(CultureInfo($"  - {{ name: s{i}, uses: script:next.csx, with: {{ from: s{i - 1} }}, upstream: [s{i - 1}] }}\n"));
        }

        yaml.Append(CultureInfo($"  - {{ name: flaky, uses: script:flaky.csx, upstream: [s{Steps - 1}], retry: {{ attempts: 2, delay: 1s, jitter: 0 }} }}\n"));
        _project.Write("pipelines/long/first.csx", "return 1;");
        _project.Write("pipelines/long/next.csx", "return Input<int>(Setting<string>(\"from\")) + 1;");
        _project.Write("pipelines/long/flaky.csx", CultureInfo($$"""
            if (Attempt == 1) throw new InvalidOperationException("first attempt fails");
            return Input<int>("s{{Steps - 1}}") * 10;
            """));
        _project.Write("pipelines/long/pipeline.yaml", yaml.ToString());
        await using var runtime = await DurableRuntimeUnderTest.StartAsync(_project);

        var runId = await runtime.StartAsync("long");
        var state = await runtime.WaitAsync(runId);
        var instance = await runtime.Host.Client.GetInstanceAsync(runId, getInputsAndOutputs: true);
        var input = instance!.ReadInputAs<RunOrchestrationInput>()!;
        var carried = JsonSerializer.Deserialize<CarriedWork>(input.Carried!, EngineJson.Options)!;
        var events = await runtime.Engine.Store.GetEventsAsync(runId, CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal((Steps * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), await runtime.OutputAsync(state, "flaky"));
        Assert.Equal(2, state.Block("flaky").Attempt);
        Assert.Empty(carried.Dispatches);
        Assert.IsType<RetryTimerFired>(Assert.Single(carried.Timers).Fire);

        // The delay held across the new execution, and every step ran once.
        var retry = events.OfType<BlockRetrying>().Single();
        Assert.True(events.OfType<BlockScheduled>().Single(s => s.Attempt == 2).At >= retry.DueAt);
        Assert.Equal(Steps + 1, events.OfType<BlockSucceeded>().Count());
    }

    [Fact]
    public async Task An_orchestration_started_with_revision_1_records_every_step_with_the_record_activity_and_finishes()
    {
        _project.Write("pipelines/old/a.csx", "return 2;");
        _project.Write("pipelines/old/b.csx", "return Input<int>(\"a\") * 21;");
        _project.Write("pipelines/old/pipeline.yaml", "name: old\nblocks:\n  - { name: a, uses: script:a.csx }\n  - { name: b, uses: script:b.csx, upstream: [a] }\n");
        await using var runtime = await DurableRuntimeUnderTest.StartAsync(_project);
        var validated = PipelineValidator.Validate(_project.PathOf("pipelines/old/pipeline.yaml"), "pipelines/old/pipeline.yaml");
        var plan = RunPlanner.Plan(validated);
        var parameters = RunParameters.Resolve(validated.Definition!, new Dictionary<string, ParameterInput>()).Parameters!;
        var created = await runtime.Engine.Committer.CreateRunAsync(
            new NewRun("old-run", plan, RunPlanner.Hash(plan.ToJson()), parameters, RunTrigger.ByHand("test"), null), CancellationToken.None, DurableNames.Runtime);

        // The input as Duraflow wrote it before the revision field existed: no such property at all.
        var before = new { RunId = "old-run", Plan = plan.ToJson(), State = RunOrchestration.WithoutParameters(created.State) };
        await runtime.Host.Client.ScheduleNewOrchestrationInstanceAsync(DurableNames.Orchestrator, before, new StartOrchestrationOptions("old-run"));
        var state = await runtime.WaitAsync("old-run");
        var instance = await runtime.Host.Client.WaitForInstanceCompletionAsync("old-run", getInputsAndOutputs: true);

        Assert.Equal(1, instance.ReadInputAs<RunOrchestrationInput>()!.Revision);
        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal("42", await runtime.OutputAsync(state, "b"));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal("succeeded", instance.ReadOutputAs<RunOrchestrationOutput>()!.Status);
        var history = await runtime.HistoryTextAsync("old-run");
        Assert.True(Count(history, DurableNames.RecordActivity) >= 4, "revision 1 records each step's decisions in their own activity");
    }

    [Fact]
    public async Task Parallel_chains_record_every_step_once_whether_a_step_carries_its_decisions_or_not()
    {
        // Three chains side by side, joined at the end: a step dispatched while other blocks run is recorded by the
        // record activity, a step dispatched alone carries its decisions; either way each block runs once, in order.
        var yaml = new StringBuilder("name: lanes\nblocks:\n");
        foreach (var lane in new[] { "x", "y", "z" })
        {
            yaml.Append(CultureInfo($"  - {{ name: {lane}0, uses: script:first.csx }}\n"));
            for (var i = 1; i < 5; i++)
            {
                yaml.Append(CultureInfo($"  - {{ name: {lane}{i}, uses: script:next.csx, with: {{ from: {lane}{i - 1} }}, upstream: [{lane}{i - 1}] }}\n"));
            }
        }

        yaml.Append("  - { name: join, uses: script:join.csx, upstream: [x4, y4, z4] }\n");
        _project.Write("pipelines/lanes/first.csx", "return 1;");
        _project.Write("pipelines/lanes/next.csx", "return Input<int>(Setting<string>(\"from\")) + 1;");
        _project.Write("pipelines/lanes/join.csx", "return Input<int>(\"x4\") + Input<int>(\"y4\") + Input<int>(\"z4\");");
        _project.Write("pipelines/lanes/pipeline.yaml", yaml.ToString());
        await using var runtime = await DurableRuntimeUnderTest.StartAsync(_project);

        var runId = await runtime.StartAsync("lanes");
        var state = await runtime.WaitAsync(runId);
        var events = await runtime.Engine.Store.GetEventsAsync(runId, CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal("15", await runtime.OutputAsync(state, "join"));
        Assert.Equal(16, events.OfType<BlockSucceeded>().Select(e => e.Key).Distinct().Count());
        Assert.Equal(16, events.OfType<BlockSucceeded>().Count());
        Assert.Equal(16, events.OfType<BlockStarted>().Count());
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string CultureInfo(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

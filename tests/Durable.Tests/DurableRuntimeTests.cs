using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Durable.Tests;

/// <summary>What only the durable runtime has to get right: what enters Durable's history, keys, refusals.</summary>
[Trait("Requires", "Azurite")]
public sealed class DurableRuntimeTests : IDisposable
{
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_secret_parameter_never_enters_the_orchestration_history_but_reaches_the_block()
    {
        _project.Write("pipelines/s/use.csx", "return Param<string>(\"token\").Length;");
        _project.Write("pipelines/s/pipeline.yaml", """
            name: s
            parameters: { token: { type: string, secret: true }, region: { type: string, default: north } }
            blocks:
              - { name: use, uses: script:use.csx }
            """);
        await using var runtime = await DurableRuntimeUnderTest.StartAsync(_project);

        var runId = await runtime.StartAsync("s", """{ "token": "hunter2-very-secret" }""");
        var state = await runtime.WaitAsync(runId);
        var instance = await runtime.Host.Client.GetInstanceAsync(runId, getInputsAndOutputs: true);
        var history = await runtime.HistoryTextAsync(runId);

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal("19", await runtime.OutputAsync(state, "use"));
        Assert.NotNull(instance?.SerializedInput);
        Assert.DoesNotContain("hunter2", instance.SerializedInput, StringComparison.Ordinal);
        Assert.DoesNotContain("north", instance.SerializedInput, StringComparison.Ordinal);
        Assert.Contains(DurableNames.BlockActivity, history, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", history, StringComparison.Ordinal);
        Assert.Equal("hunter2-very-secret", state.Parameters["token"].GetString());
    }

    [Fact]
    public async Task An_idempotency_key_returns_the_run_it_made_and_schedules_no_second_orchestration()
    {
        _project.Write("pipelines/k/one.csx", "return 1;");
        _project.Write("pipelines/k/pipeline.yaml", "name: k\nblocks:\n  - { name: one, uses: script:one.csx }\n");
        await using var runtime = await DurableRuntimeUnderTest.StartAsync(_project);
        var validated = PipelineValidator.Validate(_project.PathOf("pipelines/k/pipeline.yaml"), "pipelines/k/pipeline.yaml");
        var parameters = RunParameters.Resolve(validated.Definition!, new Dictionary<string, ParameterInput>()).Parameters!;
        var starter = new RunStarter(runtime.Durable);

        var first = await starter.StartAsync(new RunRequest(validated, parameters, RunTrigger.ByHand("test")) { IdempotencyKey = "api:abc" });
        var second = await starter.StartAsync(new RunRequest(validated, parameters, RunTrigger.ByHand("test")) { IdempotencyKey = "api:abc" });
        await runtime.WaitAsync(first.RunId);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.RunId, second.RunId);
        var runs = await runtime.Engine.Store.ListRunsAsync(new(Limit: 10), CancellationToken.None);
        Assert.Single(runs);
    }

    [Fact]
    public async Task Cancel_and_retry_refuse_what_cannot_apply_with_a_reason()
    {
        _project.Write("pipelines/r/one.csx", "return 1;");
        _project.Write("pipelines/r/pipeline.yaml", "name: r\nblocks:\n  - { name: one, uses: script:one.csx }\n");
        await using var runtime = await DurableRuntimeUnderTest.StartAsync(_project);
        var runId = await runtime.StartAsync("r");
        await runtime.WaitAsync(runId);
        var validated = PipelineValidator.Validate(_project.PathOf("pipelines/r/pipeline.yaml"), "pipelines/r/pipeline.yaml");

        var cancel = await runtime.Durable.CancelAsync(runId, "late", CancellationToken.None);
        var retry = await runtime.Durable.SignalAsync(runId, new RetryFailedBlocks(), CancellationToken.None);
        var refresh = await runtime.Durable.SignalAsync(runId, new RetryFailedBlocks(validated), CancellationToken.None);
        var missing = await Assert.ThrowsAsync<RunNotFoundException>(() => runtime.Durable.CancelAsync("r-nope", "x", CancellationToken.None));

        Assert.False(cancel.Accepted);
        Assert.Contains("succeeded", cancel.Rejection, StringComparison.Ordinal);
        Assert.False(retry.Accepted);
        Assert.False(refresh.Accepted);
        Assert.Contains("durable runtime", refresh.Rejection, StringComparison.Ordinal);
        Assert.Contains("r-nope", missing.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, (await runtime.Engine.Store.GetRunAsync(runId, CancellationToken.None))!.State.Status);
    }

    [Fact]
    public async Task A_run_whose_orchestration_was_never_scheduled_is_resumed_once()
    {
        _project.Write("pipelines/o/one.csx", "return 1;");
        _project.Write("pipelines/o/pipeline.yaml", "name: o\nblocks:\n  - { name: one, uses: script:one.csx }\n");
        await using var runtime = await DurableRuntimeUnderTest.StartAsync(_project);
        var validated = PipelineValidator.Validate(_project.PathOf("pipelines/o/pipeline.yaml"), "pipelines/o/pipeline.yaml");
        var plan = RunPlanner.Plan(validated);
        var parameters = RunParameters.Resolve(validated.Definition!, new Dictionary<string, ParameterInput>()).Parameters!;

        // As a process that died between recording the run and scheduling its orchestration leaves it.
        await runtime.Engine.Committer.CreateRunAsync(
            new NewRun("o-orphan", plan, RunPlanner.Hash(plan.ToJson()), parameters, RunTrigger.ByHand("test"), null), CancellationToken.None, DurableNames.Runtime);
        var resumed = await runtime.Durable.ResumeAsync("o-orphan", CancellationToken.None);
        var again = await runtime.Durable.ResumeAsync("o-orphan", CancellationToken.None);
        var state = await runtime.WaitAsync("o-orphan");

        Assert.True(resumed);
        Assert.False(again);
        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal(JsonValueKind.Number, JsonDocument.Parse(await runtime.OutputAsync(state, "one")).RootElement.ValueKind);
    }
}

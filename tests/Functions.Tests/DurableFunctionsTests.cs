using System.Net;
using System.Text.Json;
using Duraflow.Api;
using Duraflow.Durable;
using Duraflow.Engine.Runs;
using Duraflow.Tests;
using Microsoft.Azure.Functions.Worker.Extensions.DurableTask;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Duraflow.Functions.Tests;

/// <summary>
/// The Durable runtime's functions. The Functions host cannot run here, so the tests take the two things it adds:
/// the serializer the isolated worker's Durable extension converts inputs and outputs with (the worker's
/// <c>ObjectSerializer</c> behind a <see cref="DataConverter"/>), and the calls of the functions themselves, which a
/// Durable Task worker in this process makes with that serializer for a run started through a durable client.
/// </summary>
public sealed class DurableFunctionsTests : IDisposable
{
    private readonly TempFolder _project = new();

    public DurableFunctionsTests()
    {
        _project.Write("pipelines/chain/pipeline.yaml",
            "name: chain\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n  - { name: b, uses: \"script:blocks/b.csx\", upstream: [a] }\n");
        _project.Write("pipelines/chain/blocks/a.csx", "Log.LogInformation(\"from a\");\nreturn 20;\n");
        _project.Write("pipelines/chain/blocks/b.csx", "return Input<int>(\"a\") + 22;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public void The_worker_serializer_round_trips_every_input_and_output_of_the_runtime()
    {
        var (worker, client) = WorkerConverters();

        // The extension converts with the worker's serializer, not the Durable Task SDK's default converter.
        Assert.Equal("ObjectConverterShim", worker.GetType().Name);
        Assert.Equal("ObjectConverterShim", client.GetType().Name);

        var orchestration = new RunOrchestrationInput("run-1", "{\"plan\":true}", "{\"state\":\"pending\"}");
        var block = new BlockActivityInput("run-1", "a[3]", 2);
        var succeeded = new BlockActivityOutput("{\"type\":\"block_succeeded\"}", "runs/run-1/a/attempt-2.extras.json");
        var quiet = new BlockActivityOutput("{\"type\":\"block_failed\"}", null);
        var record = new RecordInput("run-1", 7, "[{\"type\":\"run_started\"}]", ["runs/run-1/a/attempt-1.extras.json", "runs/run-1/b/attempt-1.extras.json"], TakeSlot: true);
        var output = new RunOrchestrationOutput("succeeded", 2, 2, null);

        // The client writes an orchestration's input; activity inputs and outputs are written by the worker.
        Assert.Equal(orchestration, RoundTrip(client, worker, orchestration));
        Assert.Equal(block, RoundTrip(worker, worker, block));
        Assert.Equal(succeeded, RoundTrip(worker, worker, succeeded));
        Assert.Equal(quiet, RoundTrip(worker, worker, quiet));
        Assert.Equal(output, RoundTrip(worker, client, output));
        var recorded = RoundTrip(worker, worker, record);
        Assert.Equal((record.RunId, record.ExpectedVersion, record.Events, record.TakeSlot), (recorded.RunId, recorded.ExpectedVersion, recorded.Events, recorded.TakeSlot));
        Assert.Equal(record.Extras, recorded.Extras);
        Assert.True(worker.Deserialize<bool>(worker.Serialize(true)));
    }

    [Fact]
    public async Task A_run_started_through_the_api_function_runs_on_durable_through_the_functions()
    {
        await using var app = new FunctionsApp(_project.Root);
        var functions = app.Function<DurableFunctions>();
        var (worker, client) = WorkerConverters();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        // What the extension does for each function: the orchestrator and the activities under their names, their
        // inputs and outputs converted by the worker's serializer, each activity with the invocation's context. (The
        // extension's context converts the orchestration input to the type GetInput asks for; this registration
        // declares that type, so the SDK's own context returns it.)
        // The activity offers the binding's client, as the extension gives it one; the host's, once it is started.
        Microsoft.DurableTask.Client.DurableTaskClient? bindingClient = null;
        await using var host = await DurableTaskTestHost.StartAsync(
            registry =>
            {
                registry.AddOrchestratorFunc<RunOrchestrationInput, RunOrchestrationOutput>(DurableNames.Orchestrator, (context, _) => DurableFunctions.RunAsync(context));
                registry.AddActivityFunc<BlockActivityInput, BlockActivityOutput>(
                    DurableNames.BlockActivity, (_, input) => functions.RunBlockAsync(input!, Invocation(app, limit.Token), bindingClient!));
                registry.AddActivityFunc<RecordInput, bool>(
                    DurableNames.RecordActivity, (_, input) => functions.RecordAsync(input!, Invocation(app, limit.Token)));
            },
            new DurableTaskTestHostOptions
            {
                ConfigureServices = services =>
                {
                    services.PostConfigureAll<DurableTaskWorkerOptions>(o => o.DataConverter = worker);
                    services.PostConfigureAll<DurableTaskClientOptions>(o => o.DataConverter = client);
                },
            },
            limit.Token);
        bindingClient = host.Client;
        var engine = await app.Services.GetRequiredService<SharedEngine>().GetAsync(limit.Token);

        // Through the api function, with the binding's client: under the Functions host new runs go to durable.
        var (status, _, body) = await ApiInvocation.SendAsync(app, "POST", "/api/pipelines/chain/runs", "{}", host.Client);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var started = new { RunId = body.GetProperty("run_id").GetString()! };
        var state = await WaitForEndAsync(engine.Store, started.RunId, limit.Token);

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.True(OutputReference.TryGetInlineJson(state.Block("b").Output!, out var b), "b's output is not inline");
        Assert.Equal(42, JsonSerializer.Deserialize<int>(b));

        // The store shows the end first: the orchestration records it before it completes.
        var instance = await host.Client.WaitForInstanceCompletionAsync(started.RunId, getInputsAndOutputs: true, limit.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal("succeeded", instance.ReadOutputAs<RunOrchestrationOutput>()!.Status);

        // The record activity stored the block's log line it found in the attempt's extras.
        var logs = await engine.Store.GetLogsAsync(started.RunId, "a", limit.Token);
        Assert.Contains(logs, l => l.Message == "from a");
    }

    [Fact]
    public async Task The_orchestrator_refuses_an_orchestration_without_input()
    {
        await using var host = await DurableTaskTestHost.StartAsync(
            registry => registry.AddOrchestratorFunc<RunOrchestrationInput, RunOrchestrationOutput>(DurableNames.Orchestrator, (context, _) => DurableFunctions.RunAsync(context)));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(DurableNames.Orchestrator, limit.Token);
        var instance = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, limit.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, instance.RuntimeStatus);
        Assert.Contains("has no input", instance.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    // The converters the isolated worker's Durable extension gives its worker and its client, built as the worker
    // builds its services: the worker's defaults, then the extension's startup.
    private static (DataConverter Worker, DataConverter Client) WorkerConverters()
    {
        var services = new ServiceCollection();
        new DurableTaskExtensionStartup().Configure(services.AddFunctionsWorkerDefaults());
        using var provider = services.BuildServiceProvider();
        return (
            provider.GetRequiredService<IOptionsMonitor<DurableTaskWorkerOptions>>().CurrentValue.DataConverter,
            provider.GetRequiredService<IOptionsMonitor<DurableTaskClientOptions>>().CurrentValue.DataConverter);
    }

    private static T RoundTrip<T>(DataConverter writer, DataConverter reader, T value)
    {
        var json = writer.Serialize(value);
        Assert.NotNull(json);
        return reader.Deserialize<T>(json)!;
    }

    private static TestFunctionContext Invocation(FunctionsApp app, CancellationToken cancellationToken) =>
        new(app.Services, new Dictionary<string, object?>()) { Cancellation = cancellationToken };

    private static async Task<RunState> WaitForEndAsync(Engine.Storage.IRunStore store, string runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var stored = await store.GetRunAsync(runId, cancellationToken);
            if (stored is not null && stored.State.Status.IsTerminal())
            {
                return stored.State;
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}

using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Duraflow.Api;
using Duraflow.Engine.Tests;
using Duraflow.Engine.Tests.Alerts;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Engine.Validation;
using Duraflow.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Functions.Tests;

/// <summary>
/// The queue functions against Azurite, with this test playing the Functions host: it receives our messages from the
/// Azure queues, calls the <c>orchestration</c> or <c>blocks</c> function with each as the worker would (the text,
/// and the Id, PopReceipt and DequeueCount in the binding data), and deletes it after a success with the pop receipt
/// of its receive (tolerating 404 and PopReceiptMismatch, as the host's queue listener does).
/// </summary>
public sealed class WorkQueueFunctionsTests : IAsyncDisposable
{
    private readonly TempFolder _project = new();
    private readonly string _prefix = "h" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _setting = "DURAFLOW_TEST_HANDLER_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public WorkQueueFunctionsTests()
    {
        Environment.SetEnvironmentVariable(_setting, Services.Azurite);
        _project.Write("duraflow.yaml", $"store:\n  type: azure\n  connection: {_setting}\n  prefix: {_prefix}\n");
        _project.Write("pipelines/chain/pipeline.yaml",
            "name: chain\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n  - { name: b, uses: \"script:blocks/b.csx\", upstream: [a] }\n"
            + "  - { name: c, uses: \"script:blocks/c.csx\", upstream: [b] }\n");
        _project.Write("pipelines/chain/blocks/a.csx", "return 1;\n");
        _project.Write("pipelines/chain/blocks/b.csx", "return 2;\n");
        _project.Write("pipelines/chain/blocks/c.csx", "return 3;\n");
    }

    public ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_setting, null);
        _project.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Run_DrivenOnlyByHostInvocations_Succeeds()
    {
        await using var app = App();
        var local = await app.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        var store = Assert.IsType<AzureStore>(local.Committer.Store);
        var plan = RunPlanner.Plan(PipelineValidator.Validate(_project.PathOf("pipelines/chain/pipeline.yaml")));
        var runId = await local.Committer.StartRunAsync(plan, new Dictionary<string, JsonElement>(), "test");
        var queues = new[] { WorkQueues.Orchestration, WorkQueues.Blocks }.ToDictionary(q => q, q => Queue(store.AzureQueueName(q)));

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var invocations = await DriveAsync(app, queues, async () =>
            (await local.Committer.Store.GetRunAsync(runId, limit.Token))!.State.Status is RunStatus.Succeeded or RunStatus.Failed, limit.Token);

        var state = (await local.Committer.Store.GetRunAsync(runId, limit.Token))!.State;
        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal(3, invocations.Count(i => i.StartsWith("blocks: ", StringComparison.Ordinal)));
        foreach (var azure in queues.Values)
        {
            // Every message was consumed: none waits, none is left hidden to come back later.
            Assert.Equal(0, (await azure.GetPropertiesAsync(limit.Token)).Value.ApproximateMessagesCount);
        }
    }

    [Fact]
    public async Task An_alert_is_sent_by_the_alerts_queue_function_and_recorded_on_the_run()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        _project.Write("pipelines/chain/pipeline.yaml",
            "name: chain\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\nalerts:\n  - { on: [succeeded], webhook: \"" + receiver.Url + "\" }\n");
        await using var app = App();
        var local = await app.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        var store = Assert.IsType<AzureStore>(local.Committer.Store);
        var plan = RunPlanner.Plan(PipelineValidator.Validate(_project.PathOf("pipelines/chain/pipeline.yaml")));
        var runId = await local.Committer.StartRunAsync(plan, new Dictionary<string, JsonElement>(), "test");
        var queues = new[] { WorkQueues.Orchestration, WorkQueues.Blocks, WorkQueues.Alerts }.ToDictionary(q => q, q => Queue(store.AzureQueueName(q)));

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var invocations = await DriveAsync(app, queues, async () =>
            (await local.Committer.Store.ListAlertsAsync(runId, limit.Token)).Any(r => r.Status == AlertDeliveryStatus.Delivered), limit.Token);

        Assert.Single(invocations, i => i.StartsWith("alerts: ", StringComparison.Ordinal));
        var (key, body) = Assert.Single(receiver.Received);
        Assert.Equal($"{runId}/alert/0/succeeded/0", key);
        Assert.Contains("\"event\":\"succeeded\"", body, StringComparison.Ordinal);
        Assert.Equal(0, (await queues[WorkQueues.Alerts].GetPropertiesAsync(limit.Token)).Value.ApproximateMessagesCount);
    }

    // Plays the host: hands each message of the queues to its function, then deletes it as the host does, until done.
    private static async Task<List<string>> DriveAsync(FunctionsApp app, Dictionary<string, QueueClient> queues, Func<Task<bool>> done, CancellationToken limit)
    {
        var invocations = new List<string>();
        while (!await done())
        {
            limit.ThrowIfCancellationRequested();
            var delivered = false;
            foreach (var (queue, azure) in queues)
            {
                foreach (var message in (await azure.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(10), limit)).Value)
                {
                    delivered = true;

                    // Each step is a new message: rewriting the consumed one in place would carry its DequeueCount on,
                    // and the host poisons a message by that count alone, however many steps went well.
                    Assert.Equal(1, message.DequeueCount);
                    await InvokeAsync(app, queue, message);
                    invocations.Add($"{queue}: {message.Body}");
                    await HostDeletesAsync(azure, message);
                }
            }

            Assert.True(delivered, $"not done yet but no message is waiting; invocations so far:\n{string.Join('\n', invocations)}");
        }

        return invocations;
    }

    [Fact]
    public async Task Invocation_ForAMessageThatCannotBeHandled_FailsAndTheMessageStays()
    {
        await using var app = App();
        var local = await app.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        var azure = Queue(Assert.IsType<AzureStore>(local.Committer.Store).AzureQueueName(WorkQueues.Orchestration));
        await azure.SendMessageAsync("{\"r\":\"no-such-run\",\"k\":\"no-such-run/start/0\",\"b\":\"{}\"}");
        var message = Assert.Single((await azure.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(10))).Value);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => InvokeAsync(app, WorkQueues.Orchestration, message));

        Assert.Contains("no-such-run", failure.ToString(), StringComparison.Ordinal);

        // The host would now make it visible again; it must still be there with the host's pop receipt.
        await azure.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        Assert.Equal(message.MessageId, Assert.Single((await azure.PeekMessagesAsync()).Value).MessageId);
    }

    [Fact]
    public async Task Invocation_ForAMessageThatIsNotOurs_SetsItAsideAndSucceeds()
    {
        await using var app = App();
        var local = await app.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        var azure = Queue(Assert.IsType<AzureStore>(local.Committer.Store).AzureQueueName(WorkQueues.Blocks));
        await azure.SendMessageAsync("hello from someone else");
        var message = Assert.Single((await azure.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(10))).Value);

        await InvokeAsync(app, WorkQueues.Blocks, message);

        Assert.Equal(0, (await azure.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    // What the host's queue listener does after a 2xx: delete with its receive's pop receipt; a message the engine
    // already deleted (404) or rewrote (400 PopReceiptMismatch) is someone else's now, and the listener lets it be.
    private static async Task HostDeletesAsync(QueueClient azure, QueueMessage message)
    {
        try
        {
            await azure.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
        catch (RequestFailedException e) when (e.Status == 404 || e.ErrorCode == "PopReceiptMismatch")
        {
            // Expected for every message the engine consumed itself.
        }
    }

    // Base64, as the Functions queue extension reads and writes by default.
    private static QueueClient Queue(string name) => new(Services.Azurite, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    // What the worker passes: the decoded text, and the trigger metadata as binding data, strings JSON-quoted as the
    // host serializes them.
    private static Task InvokeAsync(FunctionsApp app, string queue, QueueMessage message)
    {
        var context = new TestFunctionContext(app.Services, new Dictionary<string, object?>
        {
            ["Id"] = JsonSerializer.Serialize(message.MessageId),
            ["PopReceipt"] = JsonSerializer.Serialize(message.PopReceipt),
            ["DequeueCount"] = message.DequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["InsertionTime"] = message.InsertedOn?.ToString("O"),
        });
        var functions = app.Function<WorkQueueFunctions>();
        return queue switch
        {
            WorkQueues.Blocks => functions.BlocksAsync(message.Body.ToString(), context, CancellationToken.None),
            WorkQueues.Alerts => functions.AlertsAsync(message.Body.ToString(), context, CancellationToken.None),
            _ => functions.OrchestrationAsync(message.Body.ToString(), context, CancellationToken.None),
        };
    }

    private FunctionsApp App() => new(
        _project.Root,
        new Dictionary<string, string?> { ["Duraflow:LocalWorkers"] = "false" });
}

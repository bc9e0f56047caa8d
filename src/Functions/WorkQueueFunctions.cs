using Duraflow.Api;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;

namespace Duraflow.Functions;

/// <summary>
/// The <c>orchestration</c> and <c>blocks</c> queue functions, for the engine's <c>duraflow</c> runtime, and the
/// <c>alerts</c> one, for runs of both runtimes (every runtime commits its runs' changes, and so their alerts, through
/// the engine's store): the host has
/// received the message and holds it hidden; the store adopts it into its lease book (with the host's pop receipt)
/// and the worker host handles it as if one of its own pollers had received it. A failure throws, so the host makes
/// the message visible again; the engine's MaxDeliveries dead-letters it if that keeps up.
/// </summary>
/// <param name="sharedEngine">The app's engine.</param>
/// <param name="logger">Where each delivery is logged.</param>
internal sealed partial class WorkQueueFunctions(SharedEngine sharedEngine, ILogger<WorkQueueFunctions> logger)
{
    /// <summary>A message of <c>{prefix}-orchestration</c>: a run start or a durable timer.</summary>
    /// <param name="message">The message text, as the queue extension decoded it.</param>
    /// <param name="context">The invocation; its binding data carries the message's Id, PopReceipt and DequeueCount.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts the worker down.</param>
    [Function(FunctionNames.Orchestration)]
    public Task OrchestrationAsync(
        [QueueTrigger($"%{FunctionNames.QueuePrefixSetting}%-{WorkQueues.Orchestration}")] string message, FunctionContext context, CancellationToken cancellationToken) =>
        HandleAsync(WorkQueues.Orchestration, message, Metadata(context), cancellationToken);

    /// <summary>A message of <c>{prefix}-blocks</c>: a block attempt.</summary>
    /// <param name="message">The message text, as the queue extension decoded it.</param>
    /// <param name="context">The invocation; its binding data carries the message's Id, PopReceipt and DequeueCount.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts the worker down.</param>
    [Function(FunctionNames.Blocks)]
    public Task BlocksAsync(
        [QueueTrigger($"%{FunctionNames.QueuePrefixSetting}%-{WorkQueues.Blocks}")] string message, FunctionContext context, CancellationToken cancellationToken) =>
        HandleAsync(WorkQueues.Blocks, message, Metadata(context), cancellationToken);

    /// <summary>A message of <c>{prefix}-alerts</c>: an alert to send.</summary>
    /// <param name="message">The message text, as the queue extension decoded it.</param>
    /// <param name="context">The invocation; its binding data carries the message's Id, PopReceipt and DequeueCount.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts the worker down.</param>
    [Function(FunctionNames.Alerts)]
    public Task AlertsAsync(
        [QueueTrigger($"%{FunctionNames.QueuePrefixSetting}%-{WorkQueues.Alerts}")] string message, FunctionContext context, CancellationToken cancellationToken) =>
        HandleAsync(WorkQueues.Alerts, message, Metadata(context), cancellationToken);

    private static IReadOnlyDictionary<string, object?> Metadata(FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.BindingContext.BindingData;
    }

    private async Task HandleAsync(string queue, string message, IReadOnlyDictionary<string, object?> metadata, CancellationToken cancellationToken)
    {
        var text = TriggerValue.MessageText(message);
        var id = TriggerValue.Text(metadata, "Id") ?? throw Malformed(queue, "the message has no Id");
        var popReceipt = TriggerValue.Text(metadata, "PopReceipt") ?? throw Malformed(queue, "the message has no PopReceipt");
        var dequeueCount = TriggerValue.Number(metadata, "DequeueCount") ?? throw Malformed(queue, "the message has no DequeueCount");

        var local = await sharedEngine.GetAsync(cancellationToken);
        if (local.Committer.Store is not AzureStore store)
        {
            throw new InvalidOperationException(
                $"{queue}: the queue functions need the azure store (store.type: azure in duraflow.yaml, or the app setting Duraflow__Store=azure), but this app runs on {local.StoreDescription}");
        }

        // The triggers name the queues through this setting, the engine through duraflow.yaml or Duraflow__StorePrefix:
        // if they disagree the host feeds us another app's (or no app's) messages.
        var expected = store.AzureQueueName(queue);
        if (Environment.GetEnvironmentVariable(FunctionNames.QueuePrefixSetting) is { Length: > 0 } prefix && $"{prefix}-{queue}" != expected)
        {
            throw new InvalidOperationException(
                $"{queue}: the app setting {FunctionNames.QueuePrefixSetting} is '{prefix}' but the project's store.prefix (or the app setting Duraflow__StorePrefix) makes the queue '{expected}'; make them equal");
        }

        var work = await store.AdoptDeliveredAsync(
            queue, id, popReceipt, dequeueCount, text, local.Committer.Options.Lease, TriggerValue.Time(metadata, "InsertionTime"), cancellationToken);
        if (work is null)
        {
            LogNothingToRun(logger, queue, id);
            return;
        }

        try
        {
            await local.Workers.HandleDeliveredAsync(work, cancellationToken);
            LogHandled(logger, queue, work.Key, work.RunId, work.Deliveries);
        }
        finally
        {
            store.ForgetLease(work);
        }
    }

    private static InvalidOperationException Malformed(string queue, string why) => new($"{queue}: malformed delivery: {why}");

    [LoggerMessage(5601, LogLevel.Information, "{Queue}: message {MessageId} set aside or not due yet; nothing to run now")]
    private static partial void LogNothingToRun(ILogger logger, string queue, string messageId);

    [LoggerMessage(5602, LogLevel.Information, "{Queue}: handled {Key} of run {RunId} (delivery {Delivery})")]
    private static partial void LogHandled(ILogger logger, string queue, string key, string runId, long delivery);
}

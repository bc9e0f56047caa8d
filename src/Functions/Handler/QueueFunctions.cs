using Duraflow.Api;
using Duraflow.Engine.Storage.Azure;

namespace Duraflow.Functions.Handler;

/// <summary>
/// The <c>orchestration</c> and <c>blocks</c> queue functions: the host has received the message and holds it hidden;
/// the store adopts it into its lease book (with the host's pop receipt) and the worker host handles it as if one of
/// its own pollers had received it.
/// </summary>
internal static class QueueFunctions
{
    /// <summary>The app setting naming the queue prefix in the functions' queueName (<c>%DURAFLOW_QUEUE_PREFIX%-blocks</c>).</summary>
    public const string QueuePrefixSetting = "DURAFLOW_QUEUE_PREFIX";

    /// <summary>Handles one delivered message of the engine's <paramref name="queue"/>.</summary>
    public static async Task<IResult> InvokeAsync(string queue, HttpRequest request, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var logs = new List<string>();
        InvocationRequest invocation;
        string text, id, popReceipt;
        long dequeueCount;
        try
        {
            invocation = await InvocationRequest.ReadAsync(request, cancellationToken);
            text = TriggerValue.MessageText(invocation.Binding(FunctionNames.QueueBinding));
            id = TriggerValue.Text(invocation.MetadataValue("Id")) ?? throw new InvalidInvocationException("Metadata has no message Id");
            popReceipt = TriggerValue.Text(invocation.MetadataValue("PopReceipt")) ?? throw new InvalidInvocationException("Metadata has no PopReceipt");
            dequeueCount = TriggerValue.Number(invocation.MetadataValue("DequeueCount")) ?? throw new InvalidInvocationException("Metadata has no DequeueCount");
        }
        catch (InvalidInvocationException e)
        {
            return InvocationResponse.Failed(StatusCodes.Status400BadRequest, logs, $"{queue}: malformed invocation: {e.Message}");
        }

        var local = await sharedEngine.GetAsync(cancellationToken);
        if (local.Committer.Store is not AzureStore store)
        {
            return InvocationResponse.Failed(
                StatusCodes.Status500InternalServerError, logs,
                $"{queue}: the queue functions need the azure store (store.type: azure in duraflow.yaml, or the app setting Duraflow__Store=azure), but this app runs on {local.StoreDescription}");
        }

        // The function.json files name the queues through this setting, the engine through duraflow.yaml or Duraflow__StorePrefix: if they
        // disagree the host feeds us another app's (or no app's) messages.
        var expected = store.AzureQueueName(queue);
        if (Environment.GetEnvironmentVariable(QueuePrefixSetting) is { Length: > 0 } prefix && $"{prefix}-{queue}" != expected)
        {
            return InvocationResponse.Failed(
                StatusCodes.Status500InternalServerError, logs,
                $"{queue}: the app setting {QueuePrefixSetting} is '{prefix}' but the project's store.prefix (or the app setting Duraflow__StorePrefix) makes the queue '{expected}'; make them equal");
        }

        var work = await store.AdoptDeliveredAsync(queue, id, popReceipt, dequeueCount, text, local.Committer.Options.Lease, cancellationToken);
        if (work is null)
        {
            logs.Add($"{queue}: message {id} set aside or not due yet; nothing to run now");
            return InvocationResponse.Ok(logs);
        }

        try
        {
            await local.Workers.HandleDeliveredAsync(work, cancellationToken);
            logs.Add($"{queue}: handled {work.Key} of run {work.RunId} (delivery {work.Deliveries})");
            return InvocationResponse.Ok(logs);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The host makes the message visible again; the engine's MaxDeliveries dead-letters it if this keeps up.
            return InvocationResponse.Failed(StatusCodes.Status500InternalServerError, logs, $"{queue}: {work.Key} of run {work.RunId} failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            store.ForgetLease(work);
        }
    }
}

using Duraflow.Api.Triggers;
using Microsoft.DurableTask.Client;

namespace Duraflow.Functions;

/// <summary>The <c>schedule</c> timer function and the <c>blobevents</c> queue function: each hands its trigger to the API's handler.</summary>
/// <param name="schedules">Evaluates the schedules (<see cref="EngineScheduleTick"/>).</param>
/// <param name="blobEvents">Starts the runs blob events ask for (<see cref="EngineBlobEvents"/>).</param>
/// <param name="time">The app's clock.</param>
/// <param name="durableClients">Where each invocation's durable client is offered, for the runs its trigger starts on the Durable runtime.</param>
internal sealed class TriggerFunctions(IScheduleTick schedules, IBlobEventSink blobEvents, TimeProvider time, DurableClientSlot durableClients)
{
    /// <summary>
    /// Every minute, in UTC. The tick's time is this app's clock, not the timer's schedule status: the evaluator
    /// catches up from its own record of the last tick, which the host's monitor does not know. A failure throws, so
    /// the host logs the invocation as failed; the next tick catches up.
    /// </summary>
    /// <param name="timer">The host's timer; <see cref="TimerInfo.IsPastDue"/> marks a tick that came late.</param>
    /// <param name="client">The durable client binding, offered to <see cref="DurableClientSlot"/> before the tick.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts the worker down.</param>
    [Function(FunctionNames.Schedule)]
    public Task ScheduleAsync([TimerTrigger("0 */1 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        durableClients.Offer(client);
        return schedules.TickAsync(time.GetUtcNow(), timer.IsPastDue, cancellationToken);
    }

    /// <summary>
    /// One message Event Grid put on the blob-events queue: one event, Event Grid or CloudEvents schema. A store
    /// failure throws, so the host makes the message visible again and delivers it again.
    /// </summary>
    /// <param name="message">The message text, as the queue extension decoded it.</param>
    /// <param name="client">The durable client binding, offered to <see cref="DurableClientSlot"/> before the event is handled.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts the worker down.</param>
    [Function(FunctionNames.BlobEvents)]
    public Task BlobEventsAsync(
        [QueueTrigger($"%{FunctionNames.BlobEventsQueueSetting}%")] string message, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        durableClients.Offer(client);
        return blobEvents.HandleAsync(TriggerValue.MessageText(message), cancellationToken);
    }
}

using Azure.Storage.Queues.Models;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Messages that the Azure Functions host received from our queues and handed to the app's queue functions: the host did the
/// receive (and holds the message hidden), so the store only takes the message into its lease book and from then on
/// completes, releases or renews it with the pop receipt the host got, as if it had received the message itself.
/// </summary>
/// <remarks>
/// After the handler answers, the host deletes the message (on success) or makes it visible again (on failure) with
/// its own, by then often stale, pop receipt. Both are harmless: a message the engine already deleted answers 404 and
/// one it updated answers 400 PopReceiptMismatch, which the host's queue listener ignores as "someone else handled it".
/// </remarks>
internal sealed partial class AzureStore
{
    /// <summary>
    /// The Azure queue that holds the engine's <paramref name="queue"/> (<see cref="WorkQueues.Orchestration"/> or
    /// <see cref="WorkQueues.Blocks"/>): <c>{prefix}-{queue}</c>, the name the host's queue triggers must listen on.
    /// </summary>
    public string AzureQueueName(string queue) => Queue(queue).Name;

    /// <summary>
    /// Takes a message the Functions host delivered into this process's lease book and returns it as work, or null when
    /// there is nothing to do with it now: it is not a Duraflow message (it is set aside in the index and deleted) or it
    /// is a timer not yet due (it is hidden again for the rest of its wait).
    /// </summary>
    /// <param name="queue">The engine's queue name, <see cref="WorkQueues.Orchestration"/> or <see cref="WorkQueues.Blocks"/>.</param>
    /// <param name="messageId">The message's id (trigger metadata <c>Id</c>).</param>
    /// <param name="popReceipt">The pop receipt of the host's receive (trigger metadata <c>PopReceipt</c>).</param>
    /// <param name="dequeueCount">The message's dequeue count (trigger metadata <c>DequeueCount</c>).</param>
    /// <param name="messageText">The message text, already base64-decoded: the JSON envelope.</param>
    /// <param name="lease">
    /// How long the message surely stays hidden from now. The host receives with a longer visibility timeout (minutes),
    /// so the engine's own, shorter lease is a safe lower bound; commits near its end renew it first.
    /// </param>
    /// <param name="insertedOn">When the message was inserted (trigger metadata <c>InsertionTime</c>), for the queue's lag; null if unknown.</param>
    /// <param name="cancellationToken">Cancels the storage calls.</param>
    public async Task<LeasedWork?> AdoptDeliveredAsync(
        string queue, string messageId, string popReceipt, long dequeueCount, string messageText, TimeSpan lease, DateTimeOffset? insertedOn = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        ArgumentNullException.ThrowIfNull(messageText);
        var client = Queue(queue);
        var requestedAt = QueueLeases.Now;
        QueueEnvelope envelope;
        try
        {
            envelope = QueueEnvelope.Parse(messageText, queue);
        }
        catch (InvalidDataException e)
        {
            var message = QueuesModelFactory.QueueMessage(messageId, popReceipt, BinaryData.FromString(messageText), dequeueCount);
            await SetAsideAsync(client, message, e.Message, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (envelope.DueAt is { } due && DateTimeOffset.FromUnixTimeMilliseconds(due) > Now)
        {
            // A timer longer than a message can hide, received early: hide it again for the rest, as a receive of ours does.
            var rest = DateTimeOffset.FromUnixTimeMilliseconds(due) - Now;
            await client.UpdateMessageAsync(
                messageId, popReceipt, (envelope with { Returns = envelope.Returns + 1 }).ToText(), Hidden(rest), cancellationToken).ConfigureAwait(false);
            return null;
        }

        var body = envelope.Body ?? await ReadBodyBlobAsync(envelope.BodyBlob!, cancellationToken).ConfigureAwait(false);
        var token = _leases.Add(queue, messageId, popReceipt, requestedAt, lease, envelope, dequeueCount, delivered: true);
        return new LeasedWork(messageId, queue, envelope.RunId, envelope.Key, body, (int)dequeueCount - envelope.Returns, token, VisibleSince(envelope, insertedOn));
    }

    /// <summary>
    /// Drops <paramref name="work"/> from the lease book without touching the message, once its handling is over: a
    /// message neither completed nor released stays with the host, which deletes it or lets it be delivered again.
    /// </summary>
    /// <returns>True when the lease was still in the book.</returns>
    public bool ForgetLease(LeasedWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _leases.Remove(work.LeaseToken) is not null;
    }
}

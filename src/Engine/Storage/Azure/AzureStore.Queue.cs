using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The queue side: Azure Storage queues with visibility timeouts as leases. Messages are base64 text (what Functions
/// queue triggers read), never expire, and wait out timers longer than the 7 days a message may stay hidden.
/// </summary>
internal sealed partial class AzureStore
{
    // A message is at most 64 KiB of base64, so 48 KiB of text; bodies near that go to a blob.
    private const int InlineMessageChars = 45 * 1024;

    // The longest a message may stay hidden, with a margin for clock differences.
    private static readonly TimeSpan MaxHidden = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5);

    // Messages never expire on their own: work waits however long the workers are away.
    private static readonly TimeSpan NeverExpire = TimeSpan.FromSeconds(-1);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LeasedWork>> DequeueAsync(string queue, int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        var client = Queue(queue);
        var requestedAt = QueueLeases.Now;

        // A receive hides messages for whole seconds, at least one; a shorter lease is applied by an update below.
        var received = await client.ReceiveMessagesAsync(Math.Clamp(max, 1, 32), WholeSeconds(lease, min: 1), cancellationToken).ConfigureAwait(false);
        var leased = new List<LeasedWork>();
        foreach (var message in received.Value)
        {
            if (await LeaseAsync(queue, message, requestedAt, lease, cancellationToken).ConfigureAwait(false) is { } work)
            {
                leased.Add(work);
            }
        }

        return leased;
    }

    private async Task<LeasedWork?> LeaseAsync(string queue, QueueMessage message, long requestedAt, TimeSpan lease, CancellationToken cancellationToken)
    {
        QueueEnvelope envelope;
        try
        {
            envelope = QueueEnvelope.Parse(message.Body.ToString(), queue);
        }
        catch (InvalidDataException e)
        {
            await SetAsidePoisonAsync(queue, message, e.Message, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var client = Queue(queue);
        var popReceipt = message.PopReceipt;
        if (envelope.DueAt is { } due && DateTimeOffset.FromUnixTimeMilliseconds(due) > Now)
        {
            // A timer further out than a message can hide: hide it again for the rest, not counting a delivery.
            var rest = DateTimeOffset.FromUnixTimeMilliseconds(due) - Now;
            await client.UpdateMessageAsync(
                message.MessageId, popReceipt, (envelope with { Returns = envelope.Returns + 1 }).ToText(), Hidden(rest), cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (lease < TimeSpan.FromSeconds(1))
        {
            var updated = await client.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: lease, cancellationToken: cancellationToken).ConfigureAwait(false);
            popReceipt = updated.Value.PopReceipt;
        }

        var body = envelope.Body ?? await ReadBodyBlobAsync(envelope.BodyBlob!, cancellationToken).ConfigureAwait(false);
        var token = _leases.Add(queue, message.MessageId, popReceipt, requestedAt, lease, envelope, message.DequeueCount);
        return new LeasedWork(
            message.MessageId, queue, envelope.RunId, envelope.Key, body, (int)message.DequeueCount - envelope.Returns, token, VisibleSince(envelope, message.InsertedOn));
    }

    /// <inheritdoc/>
    public async Task<bool> RenewAsync(LeasedWork work, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_leases.Find(work.LeaseToken) is not { } held)
        {
            return false;
        }

        var requestedAt = QueueLeases.Now;
        try
        {
            var updated = await Queue(held.Queue).UpdateMessageAsync(
                held.MessageId, held.PopReceipt, visibilityTimeout: WholeSeconds(lease, min: 0), cancellationToken: cancellationToken).ConfigureAwait(false);
            _leases.Renewed(work.LeaseToken, updated.Value.PopReceipt, requestedAt, lease);
            return true;
        }
        catch (RequestFailedException e) when (IsGone(e))
        {
            // The lease ended and the message went to another worker (or was deleted).
            _leases.Remove(work.LeaseToken);
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task ReleaseAsync(LeasedWork work, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_leases.Remove(work.LeaseToken) is not { } held)
        {
            return;
        }

        try
        {
            await Queue(held.Queue).UpdateMessageAsync(
                held.MessageId, held.PopReceipt, (held.Envelope with { Returns = held.Envelope.Returns + 1, DueAt = Released(delay) }).ToText(), WholeSeconds(delay, min: 0),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (IsGone(e))
        {
            // Already redelivered elsewhere; there is nothing left to give back.
        }
    }

    /// <inheritdoc/>
    public Task CompleteAsync(LeasedWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return DeleteMessageAsync(work.LeaseToken, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<DateTimeOffset?> NextVisibleAtAsync(string queue, CancellationToken cancellationToken) =>
        Task.FromResult(_due.Next(queue, Now));

    /// <summary>Checks that the message a commit consumes is still this process's, before the commit makes it count.</summary>
    private async Task<QueueLeases.Lease> HoldForCommitAsync(LeasedWork work, CancellationToken cancellationToken)
    {
        var held = _leases.Find(work.LeaseToken) ?? throw new LeaseLostException($"{work.Key} was already completed, or its lease ended");
        if (QueueLeases.Holds(held, LeaseMargin))
        {
            return held;
        }

        // Close to its end (or past it): extend it, which fails if another worker has the message now.
        if (!await RenewAsync(work, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false))
        {
            throw new LeaseLostException($"the lease on {work.Key} ended and another worker took it over");
        }

        return _leases.Find(work.LeaseToken)!;
    }

    private async Task DeleteMessageAsync(string leaseToken, CancellationToken cancellationToken)
    {
        if (_leases.Remove(leaseToken) is not { } held)
        {
            return;
        }

        try
        {
            await Queue(held.Queue).DeleteMessageAsync(held.MessageId, held.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (IsGone(e))
        {
            // Its lease ended meanwhile; the redelivered copy will find the work done and be dropped.
        }
    }

    /// <summary>
    /// Turns the consumed message into the first of the commit's outgoing messages for the same queue, in place: one
    /// update instead of a delete and a put, which in a chain of blocks is every step. Null when no message fits, or
    /// when the lease was lost (then the caller sends the work as a new message, and the old one is dropped as stale by
    /// whoever receives it).
    /// </summary>
    private async Task<WorkItem?> TryReuseConsumedAsync(string leaseToken, IReadOnlyList<WorkItem> messages, CancellationToken cancellationToken)
    {
        // A message the Functions host delivered keeps its DequeueCount across rewrites, and the host moves a message to
        // its poison queue by that count alone; so it is deleted and the next step sent as a new message instead.
        if (_leases.Find(leaseToken) is not { Delivered: false } held || messages.FirstOrDefault(m => m.Queue == held.Queue) is not { } next)
        {
            return null;
        }

        // Receives so far count as returns, so that the reused message starts again at its first delivery.
        var text = (Envelope(next, Now) with { Returns = (int)held.DequeueCount }).ToText();
        if (text.Length > InlineMessageChars)
        {
            return null;
        }

        _leases.Remove(leaseToken);
        try
        {
            await Queue(held.Queue).UpdateMessageAsync(held.MessageId, held.PopReceipt, text, Hidden(next.VisibleAt - Now), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (IsGone(e))
        {
            return null;
        }

        if (next.VisibleAt > Now)
        {
            _due.Add(next.Queue, next.VisibleAt);
        }

        return next;
    }

    // A released message is due again after its delay; recorded so that its lag is counted from then, not from its insertion.
    private long? Released(TimeSpan delay) => delay > TimeSpan.Zero ? (Now + delay).ToUnixTimeMilliseconds() : null;

    /// <summary>When a message became visible: its due time when it had one, else when it was inserted (null if unknown).</summary>
    internal static DateTimeOffset? VisibleSince(QueueEnvelope envelope, DateTimeOffset? insertedOn) =>
        envelope.DueAt is { } due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : insertedOn;

    private static QueueEnvelope Envelope(WorkItem item, DateTimeOffset now) =>
        new() { RunId = item.RunId, Key = item.Key, Body = item.Body, DueAt = item.VisibleAt > now ? item.VisibleAt.ToUnixTimeMilliseconds() : null };

    /// <summary>Puts <paramref name="item"/> on its queue (tests use it to deliver a message again).</summary>
    internal async Task SendAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var now = Now;
        var envelope = Envelope(item, now);
        var text = envelope.ToText();
        if (text.Length > InlineMessageChars)
        {
            var blob = $"payloads/{TableKeys.Escape(item.RunId)}/{TableKeys.Escape(item.Key)}";
            await Container.GetBlobClient(blob).UploadAsync(BinaryData.FromString(item.Body), overwrite: true, cancellationToken).ConfigureAwait(false);
            text = (envelope with { Body = null, BodyBlob = blob }).ToText();
        }

        await Queue(item.Queue).SendMessageAsync(text, Hidden(item.VisibleAt - now), NeverExpire, cancellationToken).ConfigureAwait(false);
        if (item.VisibleAt > now)
        {
            _due.Add(item.Queue, item.VisibleAt);
        }
    }

    private async Task<string> ReadBodyBlobAsync(string blob, CancellationToken cancellationToken)
    {
        var content = await Container.GetBlobClient(blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return content.Value.Content.ToString();
    }

    private Task SetAsidePoisonAsync(string queue, QueueMessage message, string reason, CancellationToken cancellationToken) =>
        SetAsideAsync(Queue(queue), message, reason, cancellationToken);

    /// <summary>
    /// Keeps a message nobody can read in the index, for inspection, and deletes it: it must not come back forever.
    /// Also used for messages the queue client cannot even decode (not base64), which it would otherwise skip silently.
    /// </summary>
    internal async Task SetAsideAsync(QueueClient queue, QueueMessage message, string reason, CancellationToken cancellationToken)
    {
        var text = message.Body.ToString();
        await _index.UpsertEntityAsync(
            new TableEntity(RunIndex.Poison, TableKeys.Escape(message.MessageId))
            {
                ["Queue"] = queue.Name,
                ["Reason"] = reason,
                ["Text"] = text.Length > 30_000 ? text[..30_000] : text,
                ["At"] = Now,
            }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (IsGone(e))
        {
            // Another worker set it aside first.
        }
    }

    // A message that was deleted is 404; one another worker received since is 400 PopReceiptMismatch.
    private static bool IsGone(RequestFailedException e) => e.Status == 404 || e.ErrorCode == "PopReceiptMismatch";

    // Visibility is whole seconds; rounding up means a timer never becomes visible early.
    private static TimeSpan WholeSeconds(TimeSpan span, int min) => TimeSpan.FromSeconds(Math.Max(min, Math.Ceiling(span.TotalSeconds)));

    private static TimeSpan Hidden(TimeSpan rest) => rest <= TimeSpan.Zero ? TimeSpan.Zero : rest > MaxHidden ? MaxHidden : WholeSeconds(rest, min: 0);

}

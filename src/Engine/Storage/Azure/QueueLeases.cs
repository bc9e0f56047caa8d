using System.Collections.Concurrent;
using System.Diagnostics;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The messages this process holds, by the lease token it handed out. Azure gives a new pop receipt on every update
/// of a message, while <see cref="LeasedWork"/> is immutable and a redelivered message keeps its id; so the token is
/// ours, unique per receive, and maps to the current pop receipt and to when the lease surely still holds.
/// </summary>
internal sealed class QueueLeases
{
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    /// <summary>
    /// A held message: its queue, id, current pop receipt and the monotonic time its lease surely lasts until.
    /// <paramref name="Delivered"/> marks a message the Functions host received and handed to us (see
    /// <see cref="AzureStore.AdoptDeliveredAsync"/>): the host counts its receives against its own maxDequeueCount, so such
    /// a message is never rewritten in place as the next step's message.
    /// </summary>
    public sealed record Lease(string Queue, string MessageId, string PopReceipt, long HeldUntil, QueueEnvelope Envelope, long DequeueCount, bool Delivered = false);

    /// <summary>Records a lease taken at <paramref name="requestedAt"/> (before the request, so never later than the service's clock).</summary>
    public string Add(string queue, string messageId, string popReceipt, long requestedAt, TimeSpan lease, QueueEnvelope envelope, long dequeueCount, bool delivered = false)
    {
        var token = Guid.NewGuid().ToString("N");
        _leases[token] = new Lease(queue, messageId, popReceipt, requestedAt + Ticks(lease), envelope, dequeueCount, delivered);
        return token;
    }

    /// <summary>The lease behind <paramref name="token"/>, or null when this process no longer holds it.</summary>
    public Lease? Find(string token) => _leases.GetValueOrDefault(token);

    /// <summary>Records a renewal: the new pop receipt and lease end.</summary>
    public void Renewed(string token, string popReceipt, long requestedAt, TimeSpan lease)
    {
        if (_leases.TryGetValue(token, out var held))
        {
            _leases[token] = held with { PopReceipt = popReceipt, HeldUntil = requestedAt + Ticks(lease) };
        }
    }

    /// <summary>Forgets a lease (completed, released or lost).</summary>
    public Lease? Remove(string token) => _leases.TryRemove(token, out var held) ? held : null;

    /// <summary>True when the lease lasts at least <paramref name="margin"/> more by this process's clock.</summary>
    public static bool Holds(Lease lease, TimeSpan margin) => Stopwatch.GetTimestamp() + Ticks(margin) < lease.HeldUntil;

    /// <summary>Now, on the monotonic clock leases are measured with.</summary>
    public static long Now => Stopwatch.GetTimestamp();

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}

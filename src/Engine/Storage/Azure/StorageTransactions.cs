using Azure.Core;
using Azure.Core.Pipeline;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Counts the requests sent to each storage service. Azure bills (and throttles) Storage by transaction, and every
/// HTTP request is one, an entity-group transaction of up to 100 entities included; counting at the HTTP pipeline
/// catches every call, retries included, so the figures in docs/scale-out.md are what Azure would bill.
/// </summary>
internal sealed class StorageTransactions
{
    private long _tables;
    private long _queues;
    private long _blobs;

    /// <summary>Requests to the table service.</summary>
    public long Tables => Interlocked.Read(ref _tables);

    /// <summary>Requests to the queue service.</summary>
    public long Queues => Interlocked.Read(ref _queues);

    /// <summary>Requests to the blob service.</summary>
    public long Blobs => Interlocked.Read(ref _blobs);

    /// <summary>All requests.</summary>
    public long Total => Tables + Queues + Blobs;

    /// <summary>A pipeline policy that counts every request a table client sends.</summary>
    public HttpPipelinePolicy TablePolicy => new Counter(() => Interlocked.Increment(ref _tables));

    /// <summary>A pipeline policy that counts every request a queue client sends.</summary>
    public HttpPipelinePolicy QueuePolicy => new Counter(() => Interlocked.Increment(ref _queues));

    /// <summary>A pipeline policy that counts every request a blob client sends.</summary>
    public HttpPipelinePolicy BlobPolicy => new Counter(() => Interlocked.Increment(ref _blobs));

    /// <inheritdoc/>
    public override string ToString() => $"{Total} transactions ({Tables} table, {Queues} queue, {Blobs} blob)";

    private sealed class Counter(Action count) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => count();
    }
}

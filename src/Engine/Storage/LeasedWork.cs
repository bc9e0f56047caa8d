namespace Duraflow.Engine.Storage;

/// <summary>A dequeued message, invisible to other workers until its lease ends.</summary>
/// <param name="Id">The store's id for it.</param>
/// <param name="Queue">The queue it came from.</param>
/// <param name="RunId">The run it belongs to.</param>
/// <param name="Key">Its idempotency key.</param>
/// <param name="Body">The body.</param>
/// <param name="Deliveries">How many times it has been dequeued, this time included.</param>
/// <param name="LeaseToken">Proves this worker still holds it when completing, renewing or releasing it.</param>
/// <param name="VisibleSince">
/// Since when it could have been taken: its due time, or when it was released or its last lease ended; null when the
/// store cannot say. The time it then waited is the queue's lag (<c>duraflow.queue.lag</c>).
/// </param>
internal sealed record LeasedWork(string Id, string Queue, string RunId, string Key, string Body, int Deliveries, string LeaseToken, DateTimeOffset? VisibleSince = null);

namespace Duraflow.Engine.Storage;

/// <summary>A dequeued message, invisible to other workers until its lease ends.</summary>
/// <param name="Id">The store's id for it.</param>
/// <param name="Queue">The queue it came from.</param>
/// <param name="RunId">The run it belongs to.</param>
/// <param name="Key">Its idempotency key.</param>
/// <param name="Body">The body.</param>
/// <param name="Deliveries">How many times it has been dequeued, this time included.</param>
/// <param name="LeaseToken">Proves this worker still holds it when completing, renewing or releasing it.</param>
internal sealed record LeasedWork(string Id, string Queue, string RunId, string Key, string Body, int Deliveries, string LeaseToken);

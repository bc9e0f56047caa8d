namespace Duraflow.Engine.Storage;

/// <summary>A message to put on a work queue, committed together with the events that caused it (an outbox).</summary>
/// <param name="Queue">One of <see cref="WorkQueues"/>.</param>
/// <param name="RunId">The run it belongs to.</param>
/// <param name="Key">
/// Its idempotency key. Within one commit a key is sent once; across commits a store may deliver a key twice (the
/// SQLite store does not, the Azure store may after a crash), so receivers check every message against the run's state.
/// </param>
/// <param name="Body">The message body, JSON.</param>
/// <param name="VisibleAt">When it may be dequeued; later than now for durable timers.</param>
internal sealed record WorkItem(string Queue, string RunId, string Key, string Body, DateTimeOffset VisibleAt);

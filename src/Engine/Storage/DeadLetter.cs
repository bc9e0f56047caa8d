namespace Duraflow.Engine.Storage;

/// <summary>A message that was delivered too often without completing, kept for inspection.</summary>
/// <param name="Queue">The queue it came from.</param>
/// <param name="Key">Its idempotency key.</param>
/// <param name="Deliveries">How often it was delivered.</param>
/// <param name="Reason">Why it was dead-lettered.</param>
/// <param name="At">When.</param>
internal sealed record DeadLetter(string Queue, string Key, int Deliveries, string Reason, DateTimeOffset At);

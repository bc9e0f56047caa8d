namespace Duraflow.Durable;

/// <summary>Which block attempt the block activity runs; everything else it reads from the run store.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Key">The block or fan-out item key.</param>
/// <param name="Attempt">The attempt number.</param>
/// <param name="Record">
/// Decisions the activity records before it runs the attempt (they include the attempt's start), when the orchestrator
/// dispatched only this block: one round trip per step of a chain instead of two. Null when they are recorded already.
/// </param>
internal sealed record BlockActivityInput(string RunId, string Key, int Attempt, RecordInput? Record = null);

namespace Duraflow.Durable;

/// <summary>Which block attempt the block activity runs; everything else it reads from the run store.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Key">The block or fan-out item key.</param>
/// <param name="Attempt">The attempt number.</param>
internal sealed record BlockActivityInput(string RunId, string Key, int Attempt);

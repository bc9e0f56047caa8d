namespace Duraflow.Durable;

/// <summary>
/// What a block attempt reports to the orchestrator: its outcome event, and where its log lines and checkpoint updates
/// wait for the record activity (an artifact, so a block that logs megabytes does not grow the history).
/// </summary>
/// <param name="Report">The outcome event as the engine's JSON: BlockSucceeded, BlockFailed, BlockSkipped or BlockCancelled.</param>
/// <param name="Extras">The artifact key of the attempt's logs and checkpoints, or null when it has none.</param>
internal sealed record BlockActivityOutput(string Report, string? Extras);

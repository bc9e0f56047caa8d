namespace Duraflow.Durable;

/// <summary>Decisions of the orchestrator to write to the run store, the run's index on both runtimes.</summary>
/// <param name="RunId">The run.</param>
/// <param name="ExpectedVersion">The run's version in the store before these events.</param>
/// <param name="Events">The events, as a JSON array in the engine's format.</param>
/// <param name="Extras">Artifact keys of block attempts' logs and checkpoints to store with them.</param>
/// <param name="TakeSlot">True when the events start the run: the commit then fails if the pipeline's concurrency is used up.</param>
/// <param name="Before">
/// Decisions to record first: those a carrying block activity was given and may not have recorded yet (the store skips
/// them if it has). Null when there are none.
/// </param>
internal sealed record RecordInput(string RunId, long ExpectedVersion, string Events, IReadOnlyList<string> Extras, bool TakeSlot, RecordInput? Before = null);

namespace Duraflow.Engine.Storage;

/// <summary>
/// What a runtime other than the engine's own keeps of a run in its own storage (Durable Task's orchestration
/// history), to be purged before the run leaves the store.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Runtime">The runtime it ran on, as the run recorded it (<c>durable</c>).</param>
/// <param name="Round">Its last round: 0, or how many times it was retried; each round may have a history of its own.</param>
internal sealed record ExternalHistory(string RunId, string Runtime, int Round);

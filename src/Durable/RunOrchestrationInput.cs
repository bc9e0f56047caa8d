namespace Duraflow.Durable;

/// <summary>
/// What one round of a run's orchestration starts from. The run's parameters are not in it: the state's are emptied,
/// so no parameter value (secret ones included) enters the orchestration's history; the activities read them from the
/// run store. Plan, state and event travel as the engine's own JSON, whatever serializer the Durable host uses.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Plan">The pinned plan, as <c>RunPlan.ToJson</c> writes it.</param>
/// <param name="State">The run's state at the start of the round (pending: new, or retried), its parameters emptied.</param>
internal sealed record RunOrchestrationInput(string RunId, string Plan, string State);

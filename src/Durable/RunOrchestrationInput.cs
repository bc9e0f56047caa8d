namespace Duraflow.Durable;

/// <summary>
/// What one round of a run's orchestration starts from. The run's parameters are not in it: the state's are emptied,
/// so no parameter value (secret ones included) enters the orchestration's history; the activities read them from the
/// run store. Plan, state and event travel as the engine's own JSON, whatever serializer the Durable host uses.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Plan">The pinned plan, as <c>RunPlan.ToJson</c> writes it.</param>
/// <param name="State">
/// The run's state at the start of the round (pending: new, or retried), its parameters emptied; after a continue-as-new,
/// the state it continues from, every decision in it recorded.
/// </param>
/// <param name="Revision">
/// How the orchestrator behaves (<see cref="CurrentRevision"/>). Histories are replayed with the revision they started
/// with: an input written before the field existed reads as 1, so runs started by an older Duraflow finish as they began.
/// </param>
/// <param name="Carried">After a continue-as-new: the blocks to dispatch and the timers to arm, as <see cref="CarriedWork"/> JSON.</param>
internal sealed record RunOrchestrationInput(string RunId, string Plan, string State, int Revision = 1, string? Carried = null)
{
    /// <summary>
    /// 1: every batch of decisions is recorded by the record activity. 2: a lone block dispatch records the decisions
    /// before it itself, and a long run continues as new at quiet points, so its history stays short.
    /// </summary>
    public const int CurrentRevision = 2;
}

namespace Duraflow.Engine.Runs;

/// <summary>What the decider concluded from one input: the facts to append, the state after them, and the commands.</summary>
/// <param name="State">The state after the new events; the input state itself when nothing changed.</param>
/// <param name="Events">The events to append, the accepted input first. Empty when the input was rejected.</param>
/// <param name="Commands">Work to do once the events are committed.</param>
/// <param name="Rejection">Why the input changes nothing (a duplicate, a stale attempt, a finished run), or null.</param>
internal sealed record Decision(RunState State, IReadOnlyList<RunEvent> Events, IReadOnlyList<RunCommand> Commands, string? Rejection)
{
    /// <summary>True when the input was accepted and there is something to commit.</summary>
    public bool Accepted => Rejection is null;

    /// <summary>A decision that changes nothing.</summary>
    public static Decision Reject(RunState state, string why) => new(state, [], [], why);
}

using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Runtime;

/// <summary>What a cancel or a signal did to a run.</summary>
/// <param name="Status">The run's status after it.</param>
/// <param name="Rejection">Why it changed nothing (the run already ended, it has nothing to retry), or null.</param>
/// <param name="AlreadyDone">
/// True when it changed nothing because the run has it already: a signal whose idempotency key the run received
/// before. Not a rejection: sending it again is how a caller retries safely.
/// </param>
internal sealed record RunChange(RunStatus Status, string? Rejection, bool AlreadyDone = false)
{
    /// <summary>When the run has <paramref name="signal"/> already (its key is known): accepted, once; else null.</summary>
    public static RunChange? Repeated(RunState state, SendSignal signal) =>
        signal.Key is { } key && state.Signals.Any(s => s.Key == key && s.Name == signal.Name) ? new RunChange(state.Status, null, AlreadyDone: true) : null;

    /// <summary>True when the run took the request.</summary>
    public bool Accepted => Rejection is null;
}

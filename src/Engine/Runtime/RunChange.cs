using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Runtime;

/// <summary>What a cancel or a signal did to a run.</summary>
/// <param name="Status">The run's status after it.</param>
/// <param name="Rejection">Why it changed nothing (the run already ended, it has nothing to retry), or null.</param>
internal sealed record RunChange(RunStatus Status, string? Rejection)
{
    /// <summary>True when the run took the request.</summary>
    public bool Accepted => Rejection is null;
}

using Duraflow.Engine.Runs;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Runtime;

/// <summary>What <see cref="RunStarter"/> is asked to start.</summary>
/// <param name="Pipeline">The validated pipeline; it must be valid.</param>
/// <param name="Parameters">Its parameter values, resolved by <see cref="RunParameters.Resolve"/> against this pipeline.</param>
/// <param name="Trigger">What starts the run.</param>
internal sealed record RunRequest(ValidatedPipeline Pipeline, ResolvedParameters Parameters, RunTrigger Trigger)
{
    /// <summary>
    /// Makes a repeated request return the run the first one created (an HTTP client's key, <c>blob:PIPELINE:EVENT</c>,
    /// <c>schedule:PIPELINE:TICK</c>); null for a request that is never repeated.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The run's id when the trigger derives it (a schedule's tick); null for a new, unique one.</summary>
    public string? RunId { get; init; }
}

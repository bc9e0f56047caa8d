namespace Duraflow.Engine.Runtime;

/// <summary>An input a run receives from outside while it exists, other than a cancel.</summary>
internal abstract record RunSignal;

/// <summary>
/// Run a failed or cancelled run again from its failed blocks, reusing the outputs of those that succeeded. With
/// <paramref name="Refreshed"/> (the pipeline validated from its files now), the run switches to that definition
/// first and also reruns the blocks it changed and their downstream blocks (<see cref="Runs.PlanChanges"/>).
/// </summary>
internal sealed record RetryFailedBlocks(Validation.ValidatedPipeline? Refreshed = null) : RunSignal;

namespace Duraflow.Engine.Runtime;

/// <summary>An input a run receives from outside while it exists, other than a cancel.</summary>
internal abstract record RunSignal;

/// <summary>
/// Run a failed or cancelled run again from its failed blocks, reusing the outputs of those that succeeded. With
/// <paramref name="Refreshed"/> (the pipeline validated from its files now), the run switches to that definition
/// first and also reruns the blocks it changed and their downstream blocks (<see cref="Runs.PlanChanges"/>).
/// </summary>
internal sealed record RetryFailedBlocks(Validation.ValidatedPipeline? Refreshed = null) : RunSignal;

/// <summary>
/// A named signal for the run's <c>wait.signal</c> and <c>wait.approval</c> blocks (see <see cref="Runs.SignalDelivery"/>).
/// </summary>
/// <param name="Name">The signal's name.</param>
/// <param name="Data">Its JSON data, an object, or null.</param>
/// <param name="Key">Its idempotency key (a second signal with it counts once), or null.</param>
/// <param name="By">Who sends it: the caller's identity as the host knows it.</param>
internal sealed record SendSignal(string Name, System.Text.Json.JsonElement? Data, string? Key, string By) : RunSignal
{
    /// <summary>The event that reports it, received at <paramref name="now"/>.</summary>
    public Runs.SignalReceived At(DateTimeOffset now) => new(now, Name, Data, Key, By);
}

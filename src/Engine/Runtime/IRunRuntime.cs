namespace Duraflow.Engine.Runtime;

/// <summary>
/// Where runs execute: Duraflow's own engine (<see cref="DuraflowRuntime"/>) or Durable Task (the
/// <c>DurableRuntime</c> of src/Durable), each implementing the same three operations. Runs
/// are created only through <see cref="RunStarter"/>, which is the one caller of <see cref="StartAsync"/>; hosts
/// cancel and signal runs by id.
/// </summary>
internal interface IRunRuntime
{
    /// <summary>
    /// Creates <paramref name="run"/> and hands it to the runtime's workers, or, when its idempotency key (or its
    /// derived id) already made a run, returns that one, whatever it is doing now.
    /// </summary>
    Task<StartedRun> StartAsync(NewRun run, CancellationToken cancellationToken);

    /// <summary>Delivers <paramref name="signal"/> to run <paramref name="runId"/>.</summary>
    /// <exception cref="RunNotFoundException">There is no such run.</exception>
    Task<RunChange> SignalAsync(string runId, RunSignal signal, CancellationToken cancellationToken);

    /// <summary>Asks run <paramref name="runId"/> to cancel: waiting blocks are cancelled at once, running ones are told to stop.</summary>
    /// <exception cref="RunNotFoundException">There is no such run.</exception>
    Task<RunChange> CancelAsync(string runId, string reason, CancellationToken cancellationToken);
}

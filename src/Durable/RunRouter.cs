using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;

namespace Duraflow.Durable;

/// <summary>
/// Sends each run to its runtime, for every host (<c>duraflow run</c>, <c>duraflow serve</c>, the Functions app): new
/// runs go to the runtime chosen for the host, and a run that exists is cancelled, retried and followed on the runtime
/// it recorded when it started, whatever the host's choice is now. The Durable runtime is asked for only when a
/// durable run is involved, so a host whose runs are all on the engine never needs a task hub. The router also purges
/// the Durable history of the durable runs that the engine's <see cref="DuraflowEngine.Retention"/> purges.
/// </summary>
internal sealed class RunRouter
{
    private readonly DuraflowEngine _engine;
    private readonly Func<CancellationToken, Task<DurableRuntime>> _durable;
    private DurableStarter? _durableStarter;

    /// <summary>Creates a router over <paramref name="engine"/>'s store.</summary>
    /// <param name="engine">The project's engine: the run store both runtimes index their runs in.</param>
    /// <param name="newRuns">The runtime of new runs.</param>
    /// <param name="durable">Reaches the Durable runtime; called on each use, so it must cache what it opens.</param>
    public RunRouter(DuraflowEngine engine, RuntimeKind newRuns, Func<CancellationToken, Task<DurableRuntime>> durable)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(durable);
        _engine = engine;
        NewRuns = newRuns;
        _durable = durable;
        engine.Retention.PurgeHistory = PurgeHistoryAsync;
    }

    /// <summary>The runtime of new runs.</summary>
    public RuntimeKind NewRuns { get; }

    /// <summary>The starter of new runs, on <see cref="NewRuns"/>.</summary>
    /// <exception cref="DurableHostException">The runtime is <c>durable</c> and its task hub cannot be reached.</exception>
    public async Task<RunStarter> StarterAsync(CancellationToken cancellationToken) =>
        NewRuns == RuntimeKind.Durable ? await DurableStarterAsync(cancellationToken).ConfigureAwait(false) : _engine.Starter;

    /// <summary>The runtime run <paramref name="runId"/> started on, to cancel, signal or retry it there.</summary>
    /// <exception cref="RunNotFoundException">There is no such run.</exception>
    public async Task<IRunRuntime> RuntimeOfAsync(string runId, CancellationToken cancellationToken) =>
        await IsDurableAsync(runId, cancellationToken).ConfigureAwait(false)
            ? await _durable(cancellationToken).ConfigureAwait(false)
            : _engine.Runtime;

    /// <summary>The Durable runtime, reached now (for a host that runs it in process: started now).</summary>
    /// <exception cref="DurableHostException">Its task hub cannot be reached.</exception>
    public Task<DurableRuntime> DurableAsync(CancellationToken cancellationToken) => _durable(cancellationToken);

    /// <summary>True when the store holds durable runs that have not ended.</summary>
    public async Task<bool> HasUnfinishedDurableRunsAsync(CancellationToken cancellationToken) =>
        (await DurableRuns.UnfinishedAsync(_engine.Store, cancellationToken).ConfigureAwait(false)).Count > 0;

    /// <summary>True when run <paramref name="runId"/> started on the <c>durable</c> runtime.</summary>
    /// <exception cref="RunNotFoundException">There is no such run.</exception>
    public async Task<bool> IsDurableAsync(string runId, CancellationToken cancellationToken)
    {
        var stored = await _engine.Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new RunNotFoundException(runId);
        return stored.State.Runtime == DurableNames.Runtime;
    }

    /// <summary>
    /// Starts the orchestrations of the store's durable runs that have none: runs whose start was committed by a
    /// process that died before it scheduled their orchestration. Returns how many. Nothing is opened when the store
    /// holds no pending durable run.
    /// </summary>
    public async Task<int> ResumeDurableOrphansAsync(CancellationToken cancellationToken)
    {
        var pending = await DurableRuns.ListAsync(_engine.Store, [RunStatus.Pending], cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return 0;
        }

        var runtime = await _durable(cancellationToken).ConfigureAwait(false);
        var resumed = 0;
        foreach (var runId in pending)
        {
            if (await runtime.ResumeAsync(runId, cancellationToken).ConfigureAwait(false))
            {
                resumed++;
            }
        }

        return resumed;
    }

    // A durable run's orchestration histories go before the run; the Durable runtime is reached (in process: started)
    // only when there is one to purge.
    private async Task PurgeHistoryAsync(ExternalHistory history, CancellationToken cancellationToken)
    {
        if (history.Runtime != DurableNames.Runtime)
        {
            throw new InvalidOperationException($"it ran on runtime '{history.Runtime}', which this version of duraflow does not know");
        }

        var runtime = await _durable(cancellationToken).ConfigureAwait(false);
        await runtime.PurgeHistoryAsync(history.RunId, history.Round, cancellationToken).ConfigureAwait(false);
    }

    // One starter per Durable runtime: the starter pins each validated pipeline's plan once, so it is kept. Two
    // callers racing here may both make one; either works, and the last kept wins.
    private async Task<RunStarter> DurableStarterAsync(CancellationToken cancellationToken)
    {
        var runtime = await _durable(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _durableStarter) is { } kept && kept.Runtime == runtime)
        {
            return kept.Starter;
        }

        var made = new DurableStarter(runtime, new RunStarter(runtime, _engine.Committer.Time));
        Volatile.Write(ref _durableStarter, made);
        return made.Starter;
    }

    private sealed record DurableStarter(DurableRuntime Runtime, RunStarter Starter);
}

using Duraflow.Durable;
using Duraflow.Durable.Local;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Workers;

namespace Duraflow.Cli.Commands;

/// <summary>
/// A project's runs in this process, on either runtime: the engine (store, blocks, connections, its own workers) and,
/// when a durable run is involved, the in-process Durable host. New runs go to the runtime chosen for the command; a
/// run that exists is cancelled, retried and followed on the runtime it started on, whatever the command's default.
/// </summary>
internal sealed class RunHost : IAsyncDisposable
{
    private readonly DuraflowProject _project;
    private LocalDurableRuntime? _durable;

    private RunHost(DuraflowEngine engine, DuraflowProject project, RuntimeKind runtime)
    {
        Engine = engine;
        _project = project;
        Router = new RunRouter(engine, runtime, async _ => (await DurableAsync().ConfigureAwait(false)).Runtime);
    }

    /// <summary>The project's engine.</summary>
    public DuraflowEngine Engine { get; }

    /// <summary>The runtime of new runs.</summary>
    public RuntimeKind Runtime => Router.NewRuns;

    /// <summary>Sends new runs to <see cref="Runtime"/>, and each existing run to the runtime it started on.</summary>
    public RunRouter Router { get; }

    /// <summary>
    /// Opens the project's engine; new runs go to <paramref name="runtimeOption"/> (a <c>--runtime</c> value) when given,
    /// else to duraflow.yaml's <c>runtime:</c>, else to <c>duraflow</c>. The Durable host starts here when that is
    /// <c>durable</c>, else when a durable run needs it.
    /// </summary>
    public static async Task<RunHost> OpenAsync(DuraflowProject project, string? runtimeOption, Func<DuraflowProject, Task<DuraflowEngine>> open)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(open);
        var runtime = runtimeOption is null ? project.Settings.Runtime ?? RuntimeKind.Duraflow : RuntimeNames.Parse(runtimeOption) ?? throw new ArgumentException($"unknown runtime '{runtimeOption}'", nameof(runtimeOption));
        var host = new RunHost(await open(project).ConfigureAwait(false), project, runtime);
        try
        {
            if (runtime == RuntimeKind.Durable)
            {
                await host.DurableAsync().ConfigureAwait(false);
            }

            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Where new runs go, for people: the store, and the task hub on the durable runtime.</summary>
    public string Description => _durable is { } durable ? $"{Engine.StoreDescription}, {durable.Description}" : Engine.StoreDescription;

    /// <summary>The in-process Durable runtime, started on first use.</summary>
    /// <exception cref="DurableHostException">Its storage account cannot be reached.</exception>
    public async Task<LocalDurableRuntime> DurableAsync() =>
        _durable ??= await LocalDurableRuntime.StartAsync(Engine, _project, CancellationToken.None).ConfigureAwait(false);

    /// <summary>Works (or, on Durable, waits while the in-process Durable host works) until run <paramref name="runId"/> ends, reporting its changes; returns its final state.</summary>
    public async Task<RunState> RunUntilFinishedAsync(string runId, Action<RunState>? progress, CancellationToken cancellationToken)
    {
        if (!await Router.IsDurableAsync(runId, cancellationToken).ConfigureAwait(false))
        {
            return await Engine.RunUntilFinishedAsync(runId, progress, cancellationToken).ConfigureAwait(false);
        }

        await DurableAsync().ConfigureAwait(false);
        var finished = await Engine.WaitUntilFinishedAsync(runId, progress, cancellationToken).ConfigureAwait(false);

        // The Durable host runs no engine workers: this process sends the run's alerts before it exits.
        await Engine.SendAlertsOfAsync(runId, alertLoopRunning: false, cancellationToken).ConfigureAwait(false);
        return finished;
    }

    /// <summary>Raised when this process's engine workers cannot process a message (the <c>duraflow</c> runtime).</summary>
    public event EventHandler<WorkFailure>? WorkFailed
    {
        add => Engine.Workers.WorkFailed += value;
        remove => Engine.Workers.WorkFailed -= value;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_durable is not null)
        {
            await _durable.DisposeAsync().ConfigureAwait(false);
        }

        Engine.Dispose();
    }
}

using Duraflow.Durable;
using Duraflow.Durable.Local;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Workers;

namespace Duraflow.Cli.Commands;

/// <summary>
/// A project's runs in this process, on either runtime: the engine (store, blocks, connections, its own workers) and,
/// when a durable run is involved, the in-process Durable host. New runs go to the runtime chosen for the command; a
/// run that exists is cancelled, retried and followed on the runtime it started on, whatever the command's default.
/// </summary>
internal sealed class RunHost : IAsyncDisposable
{
    /// <summary>The values of <c>--runtime</c> and duraflow.yaml's <c>runtime:</c>, in the order of <see cref="RuntimeKind"/>.</summary>
    public static readonly string[] RuntimeNames = ["duraflow", "durable"];

    private readonly DuraflowProject _project;
    private LocalDurableRuntime? _durable;

    private RunHost(DuraflowEngine engine, DuraflowProject project, RuntimeKind runtime)
    {
        Engine = engine;
        _project = project;
        Runtime = runtime;
    }

    /// <summary>The project's engine.</summary>
    public DuraflowEngine Engine { get; }

    /// <summary>The runtime of new runs.</summary>
    public RuntimeKind Runtime { get; }

    /// <summary>
    /// Opens the project's engine; new runs go to <paramref name="runtimeOption"/> (a <c>--runtime</c> value) when given,
    /// else to duraflow.yaml's <c>runtime:</c>, else to <c>duraflow</c>. The Durable host starts here when that is
    /// <c>durable</c>, else when a durable run needs it.
    /// </summary>
    public static async Task<RunHost> OpenAsync(DuraflowProject project, string? runtimeOption, Func<DuraflowProject, Task<DuraflowEngine>> open)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(open);
        var runtime = runtimeOption is null ? project.Settings.Runtime ?? RuntimeKind.Duraflow : (RuntimeKind)Array.IndexOf(RuntimeNames, runtimeOption);
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

    /// <summary>Starts new runs on the command's runtime.</summary>
    public RunStarter Starter => _durable?.Starter ?? Engine.Starter;

    /// <summary>The in-process Durable runtime, started on first use.</summary>
    /// <exception cref="DurableHostException">Its storage account cannot be reached.</exception>
    public async Task<LocalDurableRuntime> DurableAsync() =>
        _durable ??= await LocalDurableRuntime.StartAsync(Engine, _project, CancellationToken.None).ConfigureAwait(false);

    /// <summary>The runtime run <paramref name="runId"/> started on, to cancel or retry it there.</summary>
    /// <exception cref="RunNotFoundException">There is no such run.</exception>
    public async Task<IRunRuntime> RuntimeOfAsync(string runId) => await IsDurableAsync(runId).ConfigureAwait(false)
        ? (await DurableAsync().ConfigureAwait(false)).Runtime
        : Engine.Runtime;

    /// <summary>Works (or, on Durable, waits) until run <paramref name="runId"/> ends, reporting its changes; returns its final state.</summary>
    public async Task<RunState> RunUntilFinishedAsync(string runId, Action<RunState>? progress, CancellationToken cancellationToken) =>
        await IsDurableAsync(runId).ConfigureAwait(false)
            ? await (await DurableAsync().ConfigureAwait(false)).RunUntilFinishedAsync(runId, progress, cancellationToken).ConfigureAwait(false)
            : await Engine.RunUntilFinishedAsync(runId, progress, cancellationToken).ConfigureAwait(false);

    /// <summary>Raised when this process's engine workers cannot process a message (the <c>duraflow</c> runtime).</summary>
    public event EventHandler<WorkFailure>? WorkFailed
    {
        add => Engine.Workers.WorkFailed += value;
        remove => Engine.Workers.WorkFailed -= value;
    }

    private async Task<bool> IsDurableAsync(string runId)
    {
        var stored = await Engine.Store.GetRunAsync(runId, CancellationToken.None).ConfigureAwait(false) ?? throw new RunNotFoundException(runId);
        return stored.State.Runtime == DurableNames.Runtime;
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

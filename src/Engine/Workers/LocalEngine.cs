using Duraflow.Engine.Connections;
using Duraflow.Blocks.Scripts;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;

namespace Duraflow.Engine.Workers;

/// <summary>
/// The engine of one project on this machine: its SQLite store (<c>.duraflow/duraflow.db</c> by default), its
/// artifact folder beside it, and a worker host, wired from duraflow.yaml.
/// </summary>
public sealed class LocalEngine : IDisposable
{
    private readonly SqliteStore _store;

    private LocalEngine(SqliteStore store, RunEngine engine, WorkerHost host)
    {
        _store = store;
        Engine = engine;
        Host = host;
    }

    /// <summary>The engine.</summary>
    public RunEngine Engine { get; }

    /// <summary>The worker host for this process.</summary>
    public WorkerHost Host { get; }

    /// <summary>
    /// Opens the store of <paramref name="project"/>, creating it on first use. Blocks run with
    /// <paramref name="executor"/>, by default a <see cref="DefaultBlockExecutor"/> over the project's script cache and
    /// compiled blocks, with the connections of io_config.yaml's <paramref name="profile"/>.
    /// </summary>
    public static LocalEngine Open(DuraflowProject project, IBlockExecutor? executor = null, TimeProvider? time = null, string? profile = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        var settings = project.Settings;
        if (settings.Store != StoreKind.Sqlite)
        {
            throw new InvalidOperationException(
                "duraflow.yaml: store type 'azure' is not available in this version; use 'sqlite' (the default) to run locally");
        }

        var path = Path.GetFullPath(Path.Combine(project.Root, settings.StorePath));
        var store = SqliteStore.Open(path, settings.SyncEveryCommit ? SqliteDurability.Full : SqliteDurability.Normal, time, DisplayPaths.For(path));
        var options = new EngineOptions
        {
            Parallelism = settings.Parallelism, Lease = settings.Lease, MaxDeliveries = settings.MaxDeliveries, ProjectRoot = project.Root,
        };
        var engine = new RunEngine(store, store, new LocalArtifactStore(Path.Combine(Path.GetDirectoryName(path)!, "artifacts")), options, time);
        var blocks = executor ?? new DefaultBlockExecutor(new ScriptCompiler(project.ScriptCacheDirectory), CompiledBlocks.ForProject(project.Root));
        return new LocalEngine(store, engine, new WorkerHost(engine, new BlockAttemptRunner(engine, blocks, ProjectConnections.Open(project, profile, time))));
    }

    /// <summary>
    /// Works (on every run with work, not only this one) until run <paramref name="runId"/> ends, reporting each
    /// change of it to <paramref name="progress"/>; returns its final state.
    /// </summary>
    public async Task<RunState> RunUntilFinishedAsync(string runId, Action<RunState>? progress, CancellationToken cancellationToken)
    {
        var finished = new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(object? sender, RunState state)
        {
            if (state.RunId != runId)
            {
                return;
            }

            progress?.Invoke(state);
            if (state.Status.IsTerminal())
            {
                finished.TrySetResult(state);
            }
        }

        Engine.RunChanged += OnChanged;
        using var stopHost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var host = Host.RunAsync(stopHost.Token);
        try
        {
            while (true)
            {
                // Also read the store: another process may finish or cancel the run.
                var stored = await Engine.Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new RunNotFoundException(runId);
                if (stored.State.Status.IsTerminal())
                {
                    return stored.State;
                }

                progress?.Invoke(stored.State);
                await Task.WhenAny(finished.Task, Task.Delay(Engine.Options.IdlePoll, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (finished.Task.IsCompleted)
                {
                    return await finished.Task.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Engine.RunChanged -= OnChanged;
            await stopHost.CancelAsync().ConfigureAwait(false);
            await host.ConfigureAwait(false);
        }
    }

    /// <summary>Works until no run is left unfinished in the store (or <paramref name="cancellationToken"/> fires).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        using var stopHost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var host = Host.RunAsync(stopHost.Token);
        try
        {
            while (await Engine.Store.CountUnfinishedRunsAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                await Engine.Signal.WaitAsync(Engine.Options.IdlePoll, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await stopHost.CancelAsync().ConfigureAwait(false);
            await host.ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _store.Dispose();
}

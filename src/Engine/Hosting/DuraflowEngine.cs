using Duraflow.Blocks.Scripts;
using Duraflow.Engine.Alerts;
using Duraflow.Engine.Connections;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Engine.Workers;

namespace Duraflow.Engine.Hosting;

/// <summary>
/// The engine of one project on this machine, wired from duraflow.yaml: its run store (a SQLite file,
/// <c>.duraflow/duraflow.db</c> by default, or tables, queues and blobs in an Azure Storage account), where block
/// outputs go (a folder beside the SQLite file, or the account's blob container), and a worker host.
/// </summary>
internal sealed partial class DuraflowEngine : IDisposable
{
    // The SQLite store holds a file open; the Azure store's clients hold nothing that needs releasing.
    private readonly IDisposable? _ownedStore;

    private DuraflowEngine(
        IDisposable? ownedStore, RunCommitter committer, WorkerHost workers, BlockAttempt attempts, RunRetention retention, string storeDescription, TimeProvider? time)
    {
        _ownedStore = ownedStore;
        Committer = committer;
        Workers = workers;
        Attempts = attempts;
        Retention = retention;
        StoreDescription = storeDescription;
        Runtime = new DuraflowRuntime(committer);
        Starter = new RunStarter(Runtime, time);
    }

    /// <summary>Decides and commits every change to the project's runs.</summary>
    public RunCommitter Committer { get; }

    /// <summary>The workers of this process.</summary>
    public WorkerHost Workers { get; }

    /// <summary>Runs block attempts with the project's executor and connections, for a runtime that dispatches them itself (Durable).</summary>
    public BlockAttempt Attempts { get; }

    /// <summary>The runtime the project's runs execute on: this engine. Hosts cancel and signal runs through it.</summary>
    public IRunRuntime Runtime { get; }

    /// <summary>Starts the project's runs, whatever asks: the CLI, the HTTP API, schedules and blob events.</summary>
    public RunStarter Starter { get; }

    /// <summary>
    /// Purges finished runs: by hand (<c>duraflow runs purge</c>, the API), and as duraflow.yaml's <c>retention:</c>
    /// says in the long-running hosts, which run <see cref="RunRetention.RunAsync"/> beside their workers.
    /// </summary>
    public RunRetention Retention { get; }

    /// <summary>The project's runs as stored, for reading them.</summary>
    public IRunStore Store => Committer.Store;

    /// <summary>Which store the runs are in, for people: <c>sqlite .duraflow/duraflow.db</c> or <c>azure 'duraflow' in AzureWebJobsStorage</c>.</summary>
    public string StoreDescription { get; }

    /// <summary>
    /// Opens the SQLite store of <paramref name="project"/>, creating it on first use. Blocks run with
    /// <paramref name="executor"/>, by default a <see cref="DefaultBlockExecutor"/> over the project's script cache and
    /// compiled blocks, with the connections of io_config.yaml's <paramref name="profile"/>, read again whenever
    /// io_config.yaml, secrets.local.yaml or duraflow.yaml changes (<see cref="ReloadingConnections"/>); the store and
    /// worker settings of duraflow.yaml are read once, here.
    /// </summary>
    /// <exception cref="StoreSettingsException">duraflow.yaml has errors.</exception>
    /// <exception cref="InvalidOperationException">The project's store is the azure store, which only <see cref="OpenAsync"/> opens.</exception>
    public static DuraflowEngine Open(DuraflowProject project, IBlockExecutor? executor = null, TimeProvider? time = null, string? profile = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        ThrowOnSettingsErrors(project);
        if (project.Settings.Store != StoreKind.Sqlite)
        {
            throw new InvalidOperationException("the azure store is opened over the network; open it with DuraflowEngine.OpenAsync");
        }

        var settings = project.Settings;
        var path = Path.GetFullPath(Path.Combine(project.Root, settings.StorePath));
        var artifacts = new LocalArtifactStore(Path.Combine(project.LocalDirectory, "artifacts"));
        var store = SqliteStore.Open(path, settings.SyncEveryCommit ? SqliteDurability.Full : SqliteDurability.Normal, time, DisplayPaths.For(path), artifacts);
        try
        {
            return Wire(project, store, store, store, artifacts, store, $"sqlite {DisplayPaths.For(path)}", executor, time, profile);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the store that <paramref name="project"/>'s settings select, creating it on first use: the SQLite file as
    /// <see cref="Open"/> does, or the Azure store in the account named by <c>store.connection</c> (tables, queues and
    /// a blob container named by <c>store.prefix</c>), with block scratch files under <c>.duraflow/scratch</c>.
    /// </summary>
    /// <exception cref="StoreSettingsException">duraflow.yaml has errors, or the account setting is missing or wrong.</exception>
    /// <exception cref="StoreUnavailableException">The storage account cannot be reached or refuses the credential.</exception>
    public static async Task<DuraflowEngine> OpenAsync(
        DuraflowProject project, IBlockExecutor? executor = null, TimeProvider? time = null, string? profile = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (project.Settings.Store == StoreKind.Sqlite)
        {
            return Open(project, executor, time, profile);
        }

        ThrowOnSettingsErrors(project);
        var store = await OpenAzureStoreAsync(project.Settings, time, cancellationToken).ConfigureAwait(false);
        var artifacts = store.CreateArtifactStore(Path.Combine(project.LocalDirectory, "scratch"));
        var description = $"azure '{store.Options.Prefix}' in {project.Settings.StoreConnection}";
        return Wire(project, store, store, store, artifacts, null, description, executor, time, profile);
    }

    private static DuraflowEngine Wire(
        DuraflowProject project, IRunStore store, IWorkQueues queues, IRunPurge purge, IArtifactStore artifacts, IDisposable? ownedStore, string description,
        IBlockExecutor? executor, TimeProvider? time, string? profile)
    {
        var settings = project.Settings;
        var options = new EngineOptions
        {
            Parallelism = settings.Parallelism,
            Lease = settings.Lease,
            MaxDeliveries = settings.MaxDeliveries,
            ProjectRoot = project.Root,
            FileRoots = settings.FileRoots,
            Limits = new ReloadingLimits(project.Root, settings.Limits).Current,
        };
        var committer = new RunCommitter(store, queues, artifacts, options, time);
        var blocks = executor ?? new DefaultBlockExecutor(new ScriptCompiler(project.ScriptCacheDirectory), CompiledBlocks.ForProject(project.Root));
        // What blocks print goes to their run's log, redacted, not to this process's console in clear.
        BlockConsole.Install();
        var connections = ReloadingConnections.Open(project, new ProjectConnectionsOptions { Profile = profile, Time = time });
        var alerts = new AlertDelivery(committer, connections.Current, new AlertSender(AlertSender.SharedClient), AlertSettings.For(settings.DashboardUrl));
        var workers = new WorkerHost(committer, new BlockAttemptRunner(committer, blocks, connections), alerts);
        var retention = new RunRetention(store, purge, settings.RetainRuns, time, settings.RetainAudit);
        return new DuraflowEngine(ownedStore, committer, workers, new BlockAttempt(committer, blocks, connections), retention, description, time);
    }

    // A setting that did not read falls back to its default, which for the store could be another store; so a project
    // whose duraflow.yaml has errors opens none.
    private static void ThrowOnSettingsErrors(DuraflowProject project)
    {
        var errors = project.SettingsDiagnostics.Where(d => d.IsError).ToList();
        if (errors.Count > 0)
        {
            throw new StoreSettingsException(
                $"{DuraflowProject.SettingsFileName} has errors, so no store was opened; fix them first:{Environment.NewLine}"
                + string.Join(Environment.NewLine, errors));
        }
    }

    /// <summary>
    /// Works (on every run with work, not only this one) until run <paramref name="runId"/> ends, reporting each
    /// change of it to <paramref name="progress"/>; returns its final state.
    /// </summary>
    public async Task<RunState> RunUntilFinishedAsync(string runId, Action<RunState>? progress, CancellationToken cancellationToken)
    {
        using var stopHost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var host = Workers.RunAsync(stopHost.Token);
        try
        {
            var finished = await WaitUntilFinishedAsync(runId, progress, cancellationToken).ConfigureAwait(false);
            await SendAlertsOfAsync(runId, alertLoopRunning: true, cancellationToken).ConfigureAwait(false);
            return finished;
        }
        finally
        {
            await stopHost.CancelAsync().ConfigureAwait(false);
            await host.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits, without working, until run <paramref name="runId"/> ends, reporting each change of it to
    /// <paramref name="progress"/>; returns its final state. For runs something else carries out (another process, or
    /// the Durable runtime, which records every change in this store).
    /// </summary>
    public async Task<RunState> WaitUntilFinishedAsync(string runId, Action<RunState>? progress, CancellationToken cancellationToken)
    {
        var finished = new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(object? sender, RunCommitted change)
        {
            var state = change.State;
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

        Committer.RunChanged += OnChanged;
        try
        {
            while (true)
            {
                // Also read the store: another process may finish or cancel the run.
                var stored = await Committer.Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new RunNotFoundException(runId);
                if (stored.State.Status.IsTerminal())
                {
                    return stored.State;
                }

                progress?.Invoke(stored.State);
                await Task.WhenAny(finished.Task, Task.Delay(Committer.Options.IdlePoll, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (finished.Task.IsCompleted)
                {
                    return await finished.Task.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Committer.RunChanged -= OnChanged;
        }
    }

    /// <summary>Works until no run is left unfinished in the store (or <paramref name="cancellationToken"/> fires).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        using var stopHost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var host = Workers.RunAsync(stopHost.Token);
        try
        {
            while (await Committer.Store.CountUnfinishedRunsAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                await Committer.Signal.WaitAsync(Committer.Options.IdlePoll, cancellationToken).ConfigureAwait(false);
            }

            await LetQueuedAlertsGoAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopHost.CancelAsync().ConfigureAwait(false);
            await host.ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _ownedStore?.Dispose();
}

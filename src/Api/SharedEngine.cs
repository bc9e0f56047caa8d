using Duraflow.Durable;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;

namespace Duraflow.Api;

/// <summary>
/// The project's engine for the app's lifetime: opened once, on first use rather than at start-up, because the
/// Functions host wants the handler listening within seconds and opening the Azure store means network round trips.
/// Every endpoint and trigger function shares it, and <see cref="RunLog"/> watches it from the moment it opens.
/// </summary>
/// <remarks>
/// Opened once, it sees each edit of the project without a restart: the API validates through
/// <see cref="PipelineCatalog"/>, and its workers read the connections and secrets of the files as they are when each
/// block attempt starts. The store and worker settings of duraflow.yaml are read here, once.
/// </remarks>
internal sealed class SharedEngine(AppProject project, RunLog runs, IDurableConnection durable) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DuraflowEngine? _local;
    private RunRouter? _router;
    private RuntimeKind _newRuns;

    /// <summary>The opened engine.</summary>
    /// <exception cref="Engine.Storage.StoreSettingsException">duraflow.yaml or an app setting that overrides it is wrong.</exception>
    public async Task<DuraflowEngine> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _local) is { } opened)
        {
            return opened;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_local is null)
            {
                var settings = project.Open();
                var engine = await DuraflowEngine.OpenAsync(settings, cancellationToken: cancellationToken).ConfigureAwait(false);
                _newRuns = settings.Settings.Runtime ?? RuntimeKind.Duraflow;
                runs.Watch(engine.Committer);
                runs.Watch(engine.Workers.Alerts);

                // A durable run's block that runs a pipeline starts its child on the durable runtime too.
                engine.Committer.Children.Durable = async ct => await durable.OpenAsync(engine, ct).ConfigureAwait(false);
                Volatile.Write(ref _local, engine);
            }

            return _local;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Sends new runs to the project's runtime (<c>Duraflow__Runtime</c>, else duraflow.yaml's <c>runtime:</c>, else the
    /// host's default), and each existing run to the runtime it started on.
    /// </summary>
    /// <exception cref="Engine.Storage.StoreSettingsException">duraflow.yaml or an app setting that overrides it is wrong.</exception>
    public async Task<RunRouter> RouterAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _router) is { } made)
        {
            return made;
        }

        var engine = await GetAsync(cancellationToken).ConfigureAwait(false);
        var router = new RunRouter(engine, _newRuns, ct => durable.OpenAsync(engine, ct));
        return Interlocked.CompareExchange(ref _router, router, null) ?? router;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _local?.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}

using Duraflow.Engine.Hosting;

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
internal sealed class SharedEngine(AppProject project, RunLog runs) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DuraflowEngine? _local;

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
                var engine = await DuraflowEngine.OpenAsync(project.Open(), cancellationToken: cancellationToken).ConfigureAwait(false);
                runs.Watch(engine.Committer);
                _local = engine;
            }

            return _local;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _local?.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}

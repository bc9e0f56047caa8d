using Duraflow.Durable;
using Duraflow.Durable.Local;
using Duraflow.Engine.Hosting;

namespace Duraflow.Api;

/// <summary>
/// The Durable runtime of <c>duraflow serve</c>: the in-process Durable host on the project's task hub (as
/// <c>duraflow run --runtime durable</c> starts it), started on first use and stopped with the app.
/// </summary>
internal sealed class LocalDurableConnection(AppProject project) : IDurableConnection, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LocalDurableRuntime? _local;

    /// <inheritdoc/>
    public async Task<DurableRuntime> OpenAsync(DuraflowEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (Volatile.Read(ref _local) is { } started)
        {
            return started.Runtime;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _local ??= await LocalDurableRuntime.StartAsync(engine, project.Open(), cancellationToken).ConfigureAwait(false);
            return _local.Runtime;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_local is not null)
        {
            await _local.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }
}

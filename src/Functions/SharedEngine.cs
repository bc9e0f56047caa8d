using Duraflow.Engine.Hosting;

namespace Duraflow.Functions;

/// <summary>
/// The project's engine for the app's lifetime: opened once, on first use rather than at start-up, because the
/// Functions host wants the handler listening within seconds and opening the Azure store means network round trips.
/// Every endpoint and trigger function shares it.
/// </summary>
internal sealed class SharedEngine(AppProject project) : IAsyncDisposable
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
            _local ??= await DuraflowEngine.OpenAsync(project.Open(), cancellationToken: cancellationToken).ConfigureAwait(false);
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

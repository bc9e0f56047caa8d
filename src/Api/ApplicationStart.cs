namespace Duraflow.Api;

/// <summary>
/// Background work that opens the engine waits for the app to listen first: the Functions host wants the handler
/// answering within seconds, and opening an Azure store takes network round trips.
/// </summary>
internal static class ApplicationStart
{
    /// <summary>True once the app has started; false when it stops first.</summary>
    public static async Task<bool> WaitAsync(IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}

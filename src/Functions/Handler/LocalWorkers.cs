using Microsoft.Extensions.Options;

namespace Duraflow.Functions.Handler;

/// <summary>
/// Local mode: with no Functions host (no <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>) nothing invokes the queue functions, so
/// the app runs the engine's worker host (orchestration and block pollers, store maintenance) itself. It starts once
/// Kestrel listens, so opening the store never delays start-up.
/// </summary>
internal sealed partial class LocalWorkers(
    EngineHost engineHost, IHostApplicationLifetime lifetime, IOptions<LocalWorkerOptions> options, ILogger<LocalWorkers> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Environment.GetEnvironmentVariable(HostSetup.CustomHandlerPortVariable) is { Length: > 0 } || !options.Value.LocalWorkers)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        Engine.Workers.LocalEngine local;
        try
        {
            local = await engineHost.GetAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The HTTP API still serves pipeline definitions and says what is wrong; crashing the server would not.
            LogNoWorkers(logger, e.Message);
            return;
        }

        void OnWorkFailed(object? sender, Engine.Workers.WorkFailure failure) => LogWorkFailed(logger, failure.Work?.Key ?? "-", failure.Error.Message);
        local.Host.WorkFailed += OnWorkFailed;
        try
        {
            LogWorking(logger, local.StoreDescription);
            await local.Host.RunAsync(stoppingToken);
        }
        finally
        {
            local.Host.WorkFailed -= OnWorkFailed;
        }
    }

    [LoggerMessage(5001, LogLevel.Information, "Local workers polling {Store}")]
    private static partial void LogWorking(ILogger logger, string store);

    [LoggerMessage(5002, LogLevel.Error, "No local workers: the engine did not open: {Reason}")]
    private static partial void LogNoWorkers(ILogger logger, string reason);

    [LoggerMessage(5003, LogLevel.Warning, "Work on {Key} failed and is delivered again: {Reason}")]
    private static partial void LogWorkFailed(ILogger logger, string key, string reason);
}

using Duraflow.Engine.Hosting;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Workers;
using Microsoft.Extensions.Options;

namespace Duraflow.Api.Workers;

/// <summary>
/// The engine's background work in this process, started once the app has started so that opening the store never
/// delays start-up (the Functions host wants the worker ready within seconds).
/// <list type="bullet">
/// <item>On its own (<see cref="ApiHosting.UnderFunctionsHost"/> false): no queue function delivers work, so the app
/// runs the engine's whole worker host: orchestration and block pollers and the store's maintenance.</item>
/// <item>Under the Functions host, or with <see cref="LocalWorkerOptions.LocalWorkers"/> off: only the store's
/// maintenance. The host's queue triggers deliver the work, but a process that commits must still clean up after its
/// own commits (the Azure store deletes the outbox entries of messages it sent from the process that sent them) and
/// take its turn at the sweeper that re-sends what dead processes committed but never sent.</item>
/// </list>
/// </summary>
internal sealed partial class EngineBackgroundWork(
    SharedEngine sharedEngine, ApiHosting hosting, IHostApplicationLifetime lifetime, IOptions<LocalWorkerOptions> options, ILogger<EngineBackgroundWork> logger)
    : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pollers = !hosting.UnderFunctionsHost && options.Value.LocalWorkers;
        if (!await ApplicationStart.WaitAsync(lifetime, stoppingToken))
        {
            return;
        }

        DuraflowEngine local;
        try
        {
            local = await sharedEngine.GetAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The HTTP API still serves pipeline definitions and says what is wrong; crashing the server would not.
            LogNoEngine(logger, e.Message, e);
            return;
        }

        // Subscribed in both modes: the queue functions' deliveries report their failures here too.
        void OnWorkFailed(object? sender, WorkFailure failure) => LogWorkFailed(logger, failure.Work?.Key ?? "-", failure.Error.Message, failure.Error);
        local.Workers.WorkFailed += OnWorkFailed;
        try
        {
            if (pollers)
            {
                LogWorking(logger, local.StoreDescription);
                await local.Workers.RunAsync(stoppingToken);
            }
            else if (local.Committer.Store is IStoreMaintenance maintained)
            {
                LogMaintaining(logger, local.StoreDescription);
                await maintained.RunMaintenanceAsync(stoppingToken);
            }
        }
        finally
        {
            local.Workers.WorkFailed -= OnWorkFailed;
        }
    }

    [LoggerMessage(5001, LogLevel.Information, "Local workers polling {Store}")]
    private static partial void LogWorking(ILogger logger, string store);

    [LoggerMessage(5002, LogLevel.Error, "No background work: the engine did not open: {Reason}")]
    private static partial void LogNoEngine(ILogger logger, string reason, Exception exception);

    [LoggerMessage(5003, LogLevel.Warning, "Work on {Key} failed and is delivered again: {Reason}")]
    private static partial void LogWorkFailed(ILogger logger, string key, string reason, Exception exception);

    [LoggerMessage(5004, LogLevel.Information, "Store maintenance for {Store} (work arrives through the queue functions)")]
    private static partial void LogMaintaining(ILogger logger, string store);
}

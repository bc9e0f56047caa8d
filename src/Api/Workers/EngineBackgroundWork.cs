using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
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
/// In both, duraflow.yaml's <c>retention:</c> is applied beside (<see cref="RunRetention"/>): finished runs older than
/// it says are purged at start and every hour, by one process at a time on a shared store.
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
        var durable = CarryOnDurableRunsAsync(stoppingToken);
        var retention = ApplyRetentionAsync(local, stoppingToken);
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
            await durable;
            await retention;
        }
    }

    private async Task ApplyRetentionAsync(DuraflowEngine local, CancellationToken stoppingToken)
    {
        if (local.Retention.Keep is null && local.Retention.KeepAudit is null)
        {
            return;
        }

        void OnPurged(object? sender, RunPurgeResult result) =>
            LogPurged(logger, result.Purged, result.EndedBefore, result.Kept, result.KeptBecause ?? "-");
        void OnFailed(object? sender, Exception error) => LogPurgeFailed(logger, error.Message, error);
        local.Retention.Purged += OnPurged;
        local.Retention.Failed += OnFailed;
        try
        {
            // The router purges durable runs' histories; made first, so that the first round does not keep them for lack of it.
            await sharedEngine.RouterAsync(stoppingToken);
            if (local.Retention.Keep is { } keep)
            {
                LogRetention(logger, keep);
            }

            await local.Retention.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            local.Retention.Purged -= OnPurged;
            local.Retention.Failed -= OnFailed;
        }
    }

    // Beside the engine's work, not before it: under the Functions host the Durable client arrives with the first
    // function invocation, and the store's maintenance must not wait for that. On its own, the app starts its
    // in-process Durable host when new runs go to Durable or durable runs are unfinished, so that they carry on.
    private async Task CarryOnDurableRunsAsync(CancellationToken stoppingToken)
    {
        try
        {
            var router = await sharedEngine.RouterAsync(stoppingToken);
            if (!hosting.UnderFunctionsHost && (router.NewRuns == RuntimeKind.Durable || await router.HasUnfinishedDurableRunsAsync(stoppingToken)))
            {
                await router.DurableAsync(stoppingToken);
                LogDurableHost(logger);
            }

            if (await router.ResumeDurableOrphansAsync(stoppingToken) is var resumed and > 0)
            {
                LogResumed(logger, resumed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The engine's runs go on; durable runs wait until the task hub can be reached (the next start tries again).
            LogNoDurable(logger, e.Message, e);
        }
    }

    [LoggerMessage(5001, LogLevel.Information, "Local workers polling {Store}")]
    private static partial void LogWorking(ILogger logger, string store);

    [LoggerMessage(5002, LogLevel.Error, "No background work: the engine did not open: {Reason}")]
    private static partial void LogNoEngine(ILogger logger, string reason, Exception exception);

    [LoggerMessage(5003, LogLevel.Warning, "Work on {Key} failed and is delivered again: {Reason}")]
    private static partial void LogWorkFailed(ILogger logger, string key, string reason, Exception exception);

    [LoggerMessage(5005, LogLevel.Information, "The in-process Durable host carries on the project's durable runs")]
    private static partial void LogDurableHost(ILogger logger);

    [LoggerMessage(5006, LogLevel.Information, "Started the orchestration of {Count} durable run(s) left without one")]
    private static partial void LogResumed(ILogger logger, int count);

    [LoggerMessage(5007, LogLevel.Error, "Durable runs cannot carry on: {Reason}")]
    private static partial void LogNoDurable(ILogger logger, string reason, Exception exception);

    [LoggerMessage(5008, LogLevel.Information, "Retention: finished runs are purged {Keep} after they end, at start and every hour")]
    private static partial void LogRetention(ILogger logger, TimeSpan keep);

    [LoggerMessage(5009, LogLevel.Information, "Retention purged {Purged} run(s) that ended before {EndedBefore}; kept {Kept} ({KeptBecause})")]
    private static partial void LogPurged(ILogger logger, int purged, DateTimeOffset endedBefore, int kept, string keptBecause);

    [LoggerMessage(5010, LogLevel.Warning, "Retention could not purge runs this round, the next tries again: {Reason}")]
    private static partial void LogPurgeFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(5004, LogLevel.Information, "Store maintenance for {Store} (work arrives through the queue functions)")]
    private static partial void LogMaintaining(ILogger logger, string store);
}

using Duraflow.Engine.Triggers.BlobEvents;
using Duraflow.Engine.Triggers.Schedules;
using Microsoft.Extensions.Options;

namespace Duraflow.Api.Triggers;

/// <summary>
/// What the Functions host does in Azure, done by the local server itself: a cron scheduler ticking at every minute
/// boundary, and, when configured, a folder watcher raising blob-created events. Under the Functions host this does
/// nothing: its timer and queue functions call the same code.
/// </summary>
internal sealed partial class LocalTriggers(
    EngineScheduleTick schedules, EngineBlobEvents blobEvents, PipelineCatalog catalog, ApiHosting hosting, TimeProvider time, IHostApplicationLifetime lifetime,
    IOptions<LocalTriggerOptions> options, ILogger<LocalTriggers> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (hosting.UnderFunctionsHost)
        {
            return;
        }

        // Start once the app has started: the first tick opens the engine, which must not hold up start-up.
        if (!await ApplicationStart.WaitAsync(lifetime, stoppingToken))
        {
            return;
        }

        await using var watcher = StartWatcher();
        if (!options.Value.Schedules)
        {
            await WaitUntilStoppedAsync(stoppingToken);
            return;
        }

        try
        {
            var ticker = await schedules.TickerAsync(stoppingToken);
            await ScheduleLoop.RunAsync(ticker, time, stoppingToken, checkedSchedules: schedules.Log, failed: e => LogTickFailed(logger, e.Message, e));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            // The API keeps serving and says what is wrong; a crashed server would not.
            LogNoScheduler(logger, e.Message, e);
            await WaitUntilStoppedAsync(stoppingToken);
        }
    }

    private FolderBlobEvents? StartWatcher()
    {
        if (options.Value.WatchFolder is not { Length: > 0 } folder)
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(catalog.Root, folder));
        Directory.CreateDirectory(path);
        var watcher = new FolderBlobEvents(
            path,
            (e, ct) => blobEvents.DispatchAsync([e], ct),
            new FolderBlobEventsOptions { OnError = (file, e) => LogWatchFailed(logger, file, e.Message, e) });
        watcher.Start();
        LogWatching(logger, path);
        return watcher;
    }

    private static async Task WaitUntilStoppedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(5301, LogLevel.Information, "Watching {Folder} for files (FOLDER/CONTAINER/PATH raise blob-created events)")]
    private static partial void LogWatching(ILogger logger, string folder);

    [LoggerMessage(5302, LogLevel.Warning, "A dropped file could not start its runs and is offered again: {File}: {Reason}")]
    private static partial void LogWatchFailed(ILogger logger, string file, string reason, Exception exception);

    [LoggerMessage(5303, LogLevel.Warning, "A schedule check failed and is tried at the next boundary: {Reason}")]
    private static partial void LogTickFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(5304, LogLevel.Error, "No local scheduler: {Reason}")]
    private static partial void LogNoScheduler(ILogger logger, string reason, Exception exception);
}

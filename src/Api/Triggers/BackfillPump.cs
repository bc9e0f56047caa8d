using Microsoft.Extensions.Options;

namespace Duraflow.Api.Triggers;

/// <summary>
/// <c>duraflow serve</c>'s mover of backfills: each time the engine commits (a run of a backfill ended, say), and at
/// least every few seconds, it steps the running backfills, so the next runs start as slots free up rather than at
/// the next minute's schedule check. Under the Functions host the timer's schedule check moves them on instead.
/// </summary>
internal sealed partial class BackfillPump(
    SharedBackfills backfills, SharedEngine sharedEngine, ApiHosting hosting, IHostApplicationLifetime lifetime, IOptions<LocalTriggerOptions> options,
    ILogger<BackfillPump> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (hosting.UnderFunctionsHost || !options.Value.Schedules || !await ApplicationStart.WaitAsync(lifetime, stoppingToken))
        {
            return;
        }

        try
        {
            var local = await sharedEngine.GetAsync(stoppingToken);
            var driver = await backfills.DriverAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await local.Committer.Signal.WaitAsync(Every, stoppingToken);
                try
                {
                    foreach (var problem in await driver.StepRunningAsync(stoppingToken))
                    {
                        LogStuck(logger, problem.Pipeline, problem.Message);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogStepFailed(logger, e.Message, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(5307, LogLevel.Warning, "A backfill of {Pipeline} cannot go on: {Reason}")]
    private static partial void LogStuck(ILogger logger, string pipeline, string reason);

    [LoggerMessage(5308, LogLevel.Warning, "Backfills were not moved on and are tried again shortly: {Reason}")]
    private static partial void LogStepFailed(ILogger logger, string reason, Exception exception);
}

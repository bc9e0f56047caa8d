using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Workers;

namespace Duraflow.Api;

/// <summary>
/// The app's word on each run: a line when a run starts and when it ends (pipeline, run id, trigger, status, seconds,
/// and a failure's error line), in the server's console with <c>duraflow serve</c> and in Application Insights in Azure.
/// </summary>
/// <remarks>
/// It watches the commits of the app's engine (<see cref="RunCommitter.RunChanged"/>), the one place every change to a
/// run passes, so runs started by the API, schedules, blob events and other processes are all covered, and a line is
/// written only for what the store has recorded. Each instance logs the commits it made: with several instances, a
/// run's start and end may be logged by different ones. Block attempts are not logged here; their lines are in the
/// run's log (<c>GET /api/runs/{id}/logs</c>).
/// </remarks>
internal sealed partial class RunLog(ILogger<RunLog> logger)
{
    /// <summary>Logs how each delivery of an alert that <paramref name="alerts"/> sends went: a failed one as a warning.</summary>
    public void Watch(AlertDelivery alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        alerts.Recorded += (_, record) =>
        {
            var name = AlertEvents.Name(record.Event);
            var destination = AlertDestinations.Name(record.Destination);
            switch (record.Status)
            {
                case AlertDeliveryStatus.Delivered:
                    LogAlertDelivered(logger, name, destination, record.Key, record.Attempts);
                    break;
                case AlertDeliveryStatus.Retrying:
                    LogAlertRetrying(logger, name, destination, record.Key, record.Attempts, record.Detail);
                    break;
                default:
                    LogAlertFailed(logger, name, destination, record.Key, record.Attempts, record.Detail);
                    break;
            }
        };
    }

    /// <summary>Logs the runs <paramref name="committer"/> starts and ends from now on.</summary>
    public void Watch(RunCommitter committer)
    {
        ArgumentNullException.ThrowIfNull(committer);
        committer.RunChanged += OnCommitted;
    }

    private void OnCommitted(object? sender, RunCommitted committed)
    {
        var run = committed.State;
        foreach (var change in committed.Events)
        {
            switch (change)
            {
                case RunRequested:
                    LogRequested(logger, run.RunId, run.Pipeline, run.Trigger);
                    break;
                case RunStarted when run.Round > 0:
                    LogStartedAgain(logger, run.RunId, run.Pipeline, run.Trigger, run.Round);
                    break;
                case RunStarted:
                    LogStarted(logger, run.RunId, run.Pipeline, run.Trigger);
                    break;
                case RunCompleted end:
                    LogEnded(run, end);
                    break;
                case SlaMissed { Start: true }:
                    LogStartSlaMissed(logger, run.RunId, run.Pipeline, run.Trigger);
                    break;
                case SlaMissed sla:
                    LogSlaMissed(logger, run.RunId, run.Pipeline, sla.Key ?? "the run", run.Trigger);
                    break;
            }
        }
    }

    private void LogEnded(RunState run, RunCompleted end)
    {
        // From the first start (the request, for a run cancelled before it started), so a retried run counts its rounds.
        var seconds = (end.At - (run.StartedAt ?? run.RequestedAt)).TotalSeconds;
        switch (end.Status)
        {
            case RunStatus.Succeeded:
                LogSucceeded(logger, run.RunId, run.Pipeline, run.Trigger, seconds);
                break;
            case RunStatus.Failed:
                LogFailed(logger, run.RunId, run.Pipeline, run.Trigger, seconds, FirstLine(end.Error));
                break;
            default:
                LogCancelled(logger, run.RunId, run.Pipeline, run.Trigger, seconds, FirstLine(end.Error));
                break;
        }
    }

    // The error of a failed run ends with its block's message, which may carry a whole stack trace; the run's page has it.
    private static string FirstLine(string? error)
    {
        if (string.IsNullOrEmpty(error))
        {
            return "no reason recorded";
        }

        var end = error.IndexOfAny(['\r', '\n']);
        return end < 0 ? error : error[..end];
    }

    // Debug: the start, a moment later, is what matters; a run held back by its pipeline's concurrency waits quietly.
    [LoggerMessage(5501, LogLevel.Debug, "Run {RunId} of {Pipeline} requested ({Trigger})")]
    private static partial void LogRequested(ILogger logger, string runId, string pipeline, string trigger);

    [LoggerMessage(5502, LogLevel.Information, "Run {RunId} of {Pipeline} started ({Trigger})")]
    private static partial void LogStarted(ILogger logger, string runId, string pipeline, string trigger);

    [LoggerMessage(5503, LogLevel.Information, "Run {RunId} of {Pipeline} started again, retry round {Round} ({Trigger})")]
    private static partial void LogStartedAgain(ILogger logger, string runId, string pipeline, string trigger, int round);

    [LoggerMessage(5504, LogLevel.Information, "Run {RunId} of {Pipeline} succeeded in {Seconds:0.###} s ({Trigger})")]
    private static partial void LogSucceeded(ILogger logger, string runId, string pipeline, string trigger, double seconds);

    // Warning, not Error: a failed run is the pipeline's outcome, not the server's fault; still, it must stand out.
    [LoggerMessage(5505, LogLevel.Warning, "Run {RunId} of {Pipeline} failed in {Seconds:0.###} s ({Trigger}): {Error}")]
    private static partial void LogFailed(ILogger logger, string runId, string pipeline, string trigger, double seconds, string error);

    [LoggerMessage(5506, LogLevel.Information, "Run {RunId} of {Pipeline} cancelled in {Seconds:0.###} s ({Trigger}): {Reason}")]
    private static partial void LogCancelled(ILogger logger, string runId, string pipeline, string trigger, double seconds, string reason);

    [LoggerMessage(5507, LogLevel.Warning, "Run {RunId} of {Pipeline}: {What} missed its SLA and goes on ({Trigger})")]
    private static partial void LogSlaMissed(ILogger logger, string runId, string pipeline, string what, string trigger);

    [LoggerMessage(5508, LogLevel.Warning, "Run {RunId} of {Pipeline} has not started within its schedule's start_sla ({Trigger})")]
    private static partial void LogStartSlaMissed(ILogger logger, string runId, string pipeline, string trigger);

    [LoggerMessage(5509, LogLevel.Information, "Alert {Event} sent to {Destination} ({Key}, attempt {Attempts})")]
    private static partial void LogAlertDelivered(ILogger logger, string @event, string destination, string key, int attempts);

    [LoggerMessage(5510, LogLevel.Warning, "Alert {Event} to {Destination} not delivered yet ({Key}, attempt {Attempts}): {Detail}; it is tried again")]
    private static partial void LogAlertRetrying(ILogger logger, string @event, string destination, string key, int attempts, string detail);

    [LoggerMessage(5511, LogLevel.Error, "Alert {Event} to {Destination} NOT delivered ({Key}, {Attempts} attempts): {Detail}")]
    private static partial void LogAlertFailed(ILogger logger, string @event, string destination, string key, int attempts, string detail);
}

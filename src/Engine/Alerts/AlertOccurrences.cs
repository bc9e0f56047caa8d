using System.Globalization;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Alerts;

/// <summary>An event an alert can be sent for, as a committed change of a run shows it.</summary>
/// <param name="Event">The event.</param>
/// <param name="Block">For <c>retrying</c>: the block or item retried.</param>
/// <param name="Attempt">For <c>retrying</c>: the attempt about to run.</param>
/// <param name="At">When it happened.</param>
internal sealed record AlertOccurrence(AlertEvent Event, string? Block, int? Attempt, DateTimeOffset At)
{
    /// <summary>For <c>sla_missed</c>: true when the run had not started within its schedule's <c>start_sla</c>.</summary>
    public bool Start { get; init; }
}

/// <summary>
/// Which alert events a run's committed events are (pure): its start, its end by status, a block retried. Each alert
/// of the run's plan that lists the event is sent once for it, under a key made of the run, the alert, the event, the
/// round, the block and the attempt, so a commit repeated after a crash queues nothing twice and a receiver can drop
/// the rare repeat of a delivery.
/// </summary>
internal static class AlertOccurrences
{
    public static IEnumerable<AlertOccurrence> Of(IEnumerable<RunEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            switch (e)
            {
                case RunStarted started:
                    yield return new AlertOccurrence(AlertEvent.Started, null, null, started.At);
                    break;
                case RunCompleted { Status: RunStatus.Succeeded } completed:
                    yield return new AlertOccurrence(AlertEvent.Succeeded, null, null, completed.At);
                    break;
                case RunCompleted { Status: RunStatus.Failed } completed:
                    yield return new AlertOccurrence(AlertEvent.Failed, null, null, completed.At);
                    break;
                case RunCompleted { Status: RunStatus.Cancelled } completed:
                    yield return new AlertOccurrence(AlertEvent.Cancelled, null, null, completed.At);
                    break;
                // Items of a block run per item share one alert per attempt (its key names the block, not the item):
                // a thousand items failing once is one alert, not a thousand.
                case BlockRetrying retrying:
                    yield return new AlertOccurrence(AlertEvent.Retrying, InstanceKeys.Parse(retrying.Key).Block, retrying.NextAttempt, retrying.At);
                    break;
                case SlaMissed sla:
                    yield return new AlertOccurrence(AlertEvent.SlaMissed, sla.Key, null, sla.At) { Start = sla.Start };
                    break;
            }
        }
    }

    /// <summary>The delivery's key, and its idempotency key for the receiver.</summary>
    public static string Key(string runId, int alert, AlertOccurrence occurrence, int round)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        var name = AlertEvents.Name(occurrence.Event);
        var subject = occurrence switch
        {
            { Start: true } => "/start",
            { Block: { } block, Attempt: { } attempt } => string.Create(CultureInfo.InvariantCulture, $"/{block}/{attempt}"),
            { Block: { } block } => "/" + block,
            _ => "",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{runId}/alert/{alert}/{name}/{round}") + subject;
    }
}

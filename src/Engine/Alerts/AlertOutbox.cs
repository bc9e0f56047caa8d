using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Alerts;

/// <summary>One alert to send: which of the plan's alerts, for which occurrence, in which round of the run.</summary>
/// <param name="Alert">The alert's position in the plan.</param>
/// <param name="Occurrence">What happened.</param>
/// <param name="Round">The run's round when it happened.</param>
/// <param name="PlanHash">The plan the alert is in: a retry on refreshed files may pin another one later.</param>
/// <param name="Snapshot">The run as it stood then; null in messages queued before snapshots were taken.</param>
/// <param name="TraceParent">The span of the commit that queued it (W3C), for a link across the queue; null when nothing traces.</param>
internal sealed record AlertWork(int Alert, AlertOccurrence Occurrence, int Round, string PlanHash, AlertSnapshot? Snapshot = null, string? TraceParent = null);

/// <summary>
/// The alerts a committed change sends, as queue messages that go into the same commit (an outbox): a crash can delay
/// an alert but not lose it, and a commit that does not land sends nothing. Every runtime commits its runs' changes
/// through the engine's committer, so alerts leave the same way on both.
/// </summary>
internal static class AlertOutbox
{
    public static IReadOnlyList<WorkItem> For(string runId, RunState state, RunPlan plan, IReadOnlyList<RunEvent> events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Alerts is not { Count: > 0 } alerts)
        {
            return [];
        }

        var items = new List<WorkItem>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var occurrence in AlertOccurrences.Of(events))
        {
            // The snapshot reads every block, so it is taken once per occurrence, and not at all for one whose alerts
            // this commit queued already (the items of a fan-out retried together share theirs).
            AlertSnapshot? snapshot = null;
            for (var alert = 0; alert < alerts.Count; alert++)
            {
                if (!alerts[alert].On.Contains(occurrence.Event))
                {
                    continue;
                }

                var key = AlertOccurrences.Key(runId, alert, occurrence, state.Round);
                if (keys.Add(key))
                {
                    snapshot ??= AlertSnapshot.Of(state, occurrence);
                    var work = new AlertWork(alert, occurrence, state.Round, state.DefinitionHash, snapshot, System.Diagnostics.Activity.Current?.Id);
                    items.Add(new WorkItem(WorkQueues.Alerts, runId, key, JsonSerializer.Serialize(work, EngineJson.Options), now));
                }
            }
        }

        return items;
    }
}

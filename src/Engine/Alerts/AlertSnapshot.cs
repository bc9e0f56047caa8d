using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Alerts;

/// <summary>A block or item that failed, with the first line of its error.</summary>
internal sealed record FailedBlock(string Block, string Error);

/// <summary>
/// The run as it stood when an alert's event was committed: taken into the alert's message, so that an alert sent
/// late (its receiver was down; the run was retried meanwhile) still tells what happened then, not what is now.
/// </summary>
/// <param name="Status">The run's status for the event: <c>running</c>, <c>pending</c> (a start SLA), or how it ended.</param>
/// <param name="StartedAt">When the run started, if it had.</param>
/// <param name="EndedAt">When it ended, for the events that end it.</param>
/// <param name="Failed">Its failed blocks and items then, at most <see cref="MostFailed"/>.</param>
internal sealed record AlertSnapshot(string Status, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, IReadOnlyList<FailedBlock> Failed)
{
    /// <summary>The most failed blocks an alert lists (Slack and Teams show no more).</summary>
    public const int MostFailed = 10;

    private const int LongestError = 300;

    public static AlertSnapshot Of(RunState state, AlertOccurrence occurrence)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(occurrence);
        var ends = occurrence.Event is AlertEvent.Succeeded or AlertEvent.Failed or AlertEvent.Cancelled;
        var status = occurrence.Event switch
        {
            AlertEvent.Succeeded => "succeeded",
            AlertEvent.Failed => "failed",
            AlertEvent.Cancelled => "cancelled",
            AlertEvent.SlaMissed when occurrence.Start => "pending",
            _ => "running",
        };
        var failed = occurrence.Event is AlertEvent.Failed or AlertEvent.Retrying or AlertEvent.SlaMissed
            ? state.Blocks.Where(b => b.Value.Status == BlockStatus.Failed
                    || (occurrence.Block == InstanceKeys.Parse(b.Key).Block && b.Value.Status == BlockStatus.Retrying && b.Value.Error is not null))
                .Take(MostFailed).Select(b => new FailedBlock(b.Key, FirstLine(b.Value.Error ?? "failed"))).ToList()
            : [];
        if (failed.Count == 0 && occurrence.Event == AlertEvent.Failed && state.Error is { } runError)
        {
            // A run can fail with no block failing: a time limit, a refused start.
            failed.Add(new FailedBlock("(run)", FirstLine(runError)));
        }

        return new AlertSnapshot(status, state.StartedAt, ends ? state.EndedAt ?? occurrence.At : null, failed);
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].TrimEnd('\r');
        return line.Length <= LongestError ? line : line[..(LongestError - 1)] + "…";
    }
}

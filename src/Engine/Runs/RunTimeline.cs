namespace Duraflow.Engine.Runs;

/// <summary>
/// A run's blocks over time, read from its events (on both runtimes the store keeps them): for each block and item,
/// each stretch it spent queued, running, waiting or waiting to retry, attempt by attempt, and how the stretch ended.
/// Pure: the same events give the same timeline.
/// </summary>
internal static class RunTimeline
{
    /// <summary>The stretches of every block and item, in the order they began.</summary>
    public static IReadOnlyList<TimelineSegment> Of(IEnumerable<RunEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        // Each key's open stretch, by its place in the list.
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        var segments = new List<TimelineSegment>();
        DateTimeOffset? ended = null;
        foreach (var e in events)
        {
            if (e is RunCompleted completed)
            {
                ended = completed.At;
                continue;
            }

            if (Step(e) is not { } step)
            {
                continue;
            }

            if (open.Remove(step.Key, out var closing))
            {
                segments[closing] = segments[closing] with { To = e.At, Outcome = step.Outcome };
            }

            if (step.Opens is { } kind)
            {
                open[step.Key] = segments.Count;
                segments.Add(new TimelineSegment(step.Key, step.Attempt, kind, e.At, null, null, step.Detail));
            }
        }

        // A run that ended with a stretch still open (a block cancelled with it) shows that stretch ending with the run.
        return ended is { } end ? [.. segments.Select(s => s.To is null ? s with { To = end } : s)] : segments;
    }

    private sealed record Change(string Key, int Attempt, string Outcome, string? Opens, string? Detail = null);

    private static Change? Step(RunEvent e) => e switch
    {
        BlockScheduled s => new(s.Key, s.Attempt, "scheduled", TimelineSegment.Queued),
        BlockStarted s => new(s.Key, s.Attempt, "started", TimelineSegment.Running, s.Worker),
        BlockSucceeded s => new(s.Key, s.Attempt, s.Cached ? "cached" : "succeeded", null),
        BlockFailed f => new(f.Key, f.Attempt, "failed", null),
        BlockUntilFalse u => new(u.Key, u.Attempt, "until_false", null),
        BlockWaiting w => new(w.Key, w.Attempt, "waiting", TimelineSegment.Waiting, w.Signal ?? w.Limit ?? w.For),
        BlockRetrying r => new(r.Key, r.NextAttempt, "retrying", TimelineSegment.RetryWait),
        BlockSkipped s => new(s.Key, s.Attempt, "skipped", null),
        BlockUpstreamFailed u => new(u.Key, 0, "upstream_failed", null),
        BlockCancelled c => new(c.Key, c.Attempt, "cancelled", null),
        _ => null,
    };
}

/// <summary>One stretch of a block or item on the timeline.</summary>
/// <param name="Key">The block or item.</param>
/// <param name="Attempt">The attempt it belongs to (for a retry wait, the attempt it waits to start).</param>
/// <param name="Kind"><see cref="Queued"/>, <see cref="Running"/>, <see cref="Waiting"/> or <see cref="RetryWait"/>.</param>
/// <param name="From">When it began.</param>
/// <param name="To">When it ended; null while it goes on.</param>
/// <param name="Outcome">What ended it: the next status (<c>started</c>, <c>succeeded</c>, <c>failed</c>, <c>waiting</c>, …); null while it goes on.</param>
/// <param name="Detail">Who ran it (the worker), or what it waited for (a signal, a limit, a timer block); null otherwise.</param>
internal sealed record TimelineSegment(string Key, int Attempt, string Kind, DateTimeOffset From, DateTimeOffset? To, string? Outcome, string? Detail)
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Waiting = "waiting";
    public const string RetryWait = "retry_wait";
}

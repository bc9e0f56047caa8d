using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// The engine's traces and metrics, under one OpenTelemetry name, <see cref="Name"/>: a span around every decision
/// and commit of a run and around every block attempt, and counters and durations of both. Hosts collect them with
/// <c>AddSource(EngineTelemetry.Name)</c> and <c>AddMeter(EngineTelemetry.Name)</c>; without a listener they cost
/// almost nothing.
/// </summary>
/// <remarks>
/// A run outlives any one process and request, so its spans hang under a parent derived from the run's id: every
/// commit and block attempt of a run, in whatever worker, lands in the same trace (<see cref="RunContext"/>). The span
/// that was current when the work began (an HTTP request, say) is kept as a link. Attribute values never carry block
/// output or error text that was not redacted.
/// </remarks>
internal static class EngineTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Duraflow.Engine";

    /// <summary>The spans.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    // Commits take milliseconds and block attempts anything from milliseconds to hours: bucket boundaries in seconds,
    // since the default ones (0, 5, 10, 25 ... 10,000) are meant for milliseconds and would put nearly every value in
    // the first bucket.
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    };

    /// <summary>The attribute naming a commit's outcome, on the commit span and metrics.</summary>
    public const string CommitOutcome = "duraflow.commit.outcome";

    /// <summary>The attribute naming a block attempt's outcome, on the block span and metrics.</summary>
    public const string BlockOutcome = "duraflow.block.outcome";

    /// <summary>The attribute naming the engine queue (orchestration, blocks) of a work failure.</summary>
    public const string Queue = "duraflow.queue";

    /// <summary>Decisions committed (or rejected) per run commit, tagged by outcome.</summary>
    public static readonly Counter<long> Commits = Meter.CreateCounter<long>("duraflow.run.commits", "{commit}", "Commits of run decisions, by outcome");

    /// <summary>Commits that lost the race for a run's version and were decided again.</summary>
    public static readonly Counter<long> CommitConflicts = Meter.CreateCounter<long>("duraflow.run.commit.conflicts", "{conflict}", "Commits refused because the run had moved on");

    /// <summary>How long deciding and committing took, retries included.</summary>
    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("duraflow.run.commit.duration", "s", "Time to decide and commit a batch of reports on a run", tags: null, advice: SecondsBuckets);

    /// <summary>Block attempts finished, tagged by pipeline and outcome.</summary>
    public static readonly Counter<long> BlockAttempts = Meter.CreateCounter<long>("duraflow.block.attempts", "{attempt}", "Block attempts, by pipeline and outcome");

    /// <summary>How long block attempts ran, tagged by pipeline and outcome.</summary>
    public static readonly Histogram<double> BlockDuration = Meter.CreateHistogram<double>("duraflow.block.duration", "s", "Duration of block attempts", tags: null, advice: SecondsBuckets);

    /// <summary>The attribute naming a run's status on <see cref="Runs"/>: started, succeeded, failed or cancelled.</summary>
    public const string RunStatusTag = "duraflow.run.status";

    /// <summary>Runs started (each round) and ended, tagged by pipeline and status.</summary>
    public static readonly Counter<long> Runs = Meter.CreateCounter<long>("duraflow.runs", "{run}", "Runs started and ended, by pipeline and status");

    /// <summary>Block attempts scheduled again after a failure, tagged by pipeline.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("duraflow.block.retries", "{retry}", "Block attempts scheduled again after a failure, by pipeline");

    /// <summary>How long work waited in its queue between becoming visible and being taken, tagged by queue.</summary>
    public static readonly Histogram<double> QueueLag = Meter.CreateHistogram<double>("duraflow.queue.lag", "s", "Time work waited in its queue after it became due", tags: null, advice: SecondsBuckets);

    /// <summary>Records how long <paramref name="work"/> waited, when its store knows since when it could have been taken.</summary>
    public static void RecordLag(Storage.LeasedWork work, DateTimeOffset now)
    {
        if (QueueLag.Enabled && work.VisibleSince is { } since)
        {
            QueueLag.Record(Math.Max(0, (now - since).TotalSeconds), new KeyValuePair<string, object?>(Queue, work.Queue));
        }
    }

    /// <summary>Failures of the worker loops outside block code (storage, bugs); the message is delivered again.</summary>
    public static readonly Counter<long> WorkFailures = Meter.CreateCounter<long>("duraflow.work.failures", "{failure}", "Work items that failed outside block code");

    /// <summary>Alert deliveries, by destination and outcome (<c>delivered</c>, <c>retrying</c>, <c>failed</c>).</summary>
    public static readonly Counter<long> Alerts = Meter.CreateCounter<long>("duraflow.alerts", "{attempt}", "Alert delivery attempts, by pipeline, destination and outcome");

    /// <summary>Counts one delivery attempt of an alert.</summary>
    public static void CountAlert(string pipeline, Storage.AlertRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Alerts.Add(
            1,
            new KeyValuePair<string, object?>("duraflow.pipeline", pipeline),
            new KeyValuePair<string, object?>("duraflow.alert.destination", Definitions.AlertDestinations.Name(record.Destination)),
            new KeyValuePair<string, object?>("duraflow.alert.outcome", record.StatusName));
    }

    /// <summary>
    /// Counts what a committed change did to its run: a start, an end, a retry scheduled. Called once per commit that
    /// landed, on both runtimes (the <c>durable</c> one records through the same committer), so each is counted once.
    /// </summary>
    public static void Count(string pipeline, IReadOnlyList<RunEvent> events)
    {
        if (!Runs.Enabled && !Retries.Enabled)
        {
            return;
        }

        var pipelineTag = new KeyValuePair<string, object?>("duraflow.pipeline", pipeline);
        foreach (var e in events)
        {
            switch (e)
            {
                case RunStarted:
                    Runs.Add(1, pipelineTag, new KeyValuePair<string, object?>(RunStatusTag, "started"));
                    break;
                case RunCompleted completed:
                    Runs.Add(1, pipelineTag, new KeyValuePair<string, object?>(RunStatusTag, completed.Status.ToString().ToLowerInvariant()));
                    break;
                case BlockRetrying:
                    Retries.Add(1, pipelineTag);
                    break;
            }
        }
    }

    /// <summary>
    /// Records the span of a whole run once it ends (<c>duraflow.run</c>): from its start (its request, if it never
    /// started) to its end, in the run's trace beside its blocks' spans, with its status. Made from the committed end,
    /// on whichever process committed it, so no process has to live as long as the run.
    /// </summary>
    public static void RecordRunSpan(RunState state, RunCompleted end)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(end);
        if (!Source.HasListeners())
        {
            return;
        }

        using var activity = Source.StartActivity(
            "duraflow.run", ActivityKind.Internal, RunContext(state.RunId), startTime: state.StartedAt ?? state.RequestedAt);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("duraflow.run.id", state.RunId);
        activity.SetTag("duraflow.pipeline", state.Pipeline);
        activity.SetTag("duraflow.trigger", state.Trigger);
        activity.SetTag("duraflow.run.round", state.Round);
        activity.SetTag(RunStatusTag, end.Status.ToString().ToLowerInvariant());
        if (end.Status == RunStatus.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, end.Error);
        }

        activity.SetEndTime(end.At.UtcDateTime);
    }

    /// <summary>
    /// Starts the span of taking a message from <paramref name="queue"/> (<c>duraflow.receive</c>, a consumer span), in
    /// the run's trace, linked to the span that sent it (the commit whose traceparent the message carries): the hop
    /// across the queue, whichever processes were at its two ends. The spans started while it is current link to it.
    /// </summary>
    public static Activity? StartReceiveActivity(string runId, string queue, string? traceParent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var links = traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var sender)
            ? new[] { new ActivityLink(sender) }
            : null;
        var activity = Source.StartActivity("duraflow.receive", ActivityKind.Consumer, RunContext(runId), links: links);
        activity?.SetTag("duraflow.run.id", runId);
        activity?.SetTag(Queue, queue);
        return activity;
    }

    /// <summary>Starts a span of run <paramref name="runId"/>, in the run's trace, linked to the span current now.</summary>
    public static Activity? StartRunActivity(string name, string runId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var links = Activity.Current is { } current ? new[] { new ActivityLink(current.Context) } : null;
        var activity = Source.StartActivity(name, ActivityKind.Internal, RunContext(runId), links: links);
        activity?.SetTag("duraflow.run.id", runId);
        return activity;
    }

    /// <summary>
    /// The parent of every span of run <paramref name="runId"/>: a trace id and span id derived from the id, so that
    /// processes that never talk to each other put the run's spans in one trace.
    /// </summary>
    /// <remarks>
    /// No span has the derived span id, so a trace viewer shows the run's spans under a missing root (the run itself).
    /// The parent is marked sampled so that a run's trace is whole rather than some of its blocks: a parent-based
    /// sampler keeps all of them; a host that must sample should do so before the engine (at the HTTP request), or by
    /// trace id, which keeps or drops a run whole.
    /// </remarks>
    public static ActivityContext RunContext(string runId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(runId));
        return new ActivityContext(
            ActivityTraceId.CreateFromBytes(hash.AsSpan(0, 16)), ActivitySpanId.CreateFromBytes(hash.AsSpan(16, 8)), ActivityTraceFlags.Recorded, isRemote: true);
    }
}

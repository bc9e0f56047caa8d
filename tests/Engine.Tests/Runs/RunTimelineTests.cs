using Duraflow.Engine.Runs;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Runs;

/// <summary>The timeline read from a run's events: each stretch of each block, attempt by attempt, and how it ended.</summary>
public sealed class RunTimelineTests
{
    [Fact]
    public void A_failed_attempt_its_retry_wait_a_durable_wait_and_a_cancel_each_make_a_stretch()
    {
        RunEvent[] events =
        [
            new RunStarted(T0),
            new BlockScheduled(T0, "load", 1),
            new BlockStarted(T0.AddSeconds(1), "load", 1, "w1"),
            new BlockFailed(T0.AddSeconds(3), "load", 1, "boom", Retryable: true),
            new BlockRetrying(T0.AddSeconds(3), "load", 2, T0.AddSeconds(5)),
            new BlockScheduled(T0.AddSeconds(5), "load", 2),
            new BlockStarted(T0.AddSeconds(6), "load", 2, "w2"),
            new BlockSucceeded(T0.AddSeconds(7), "load", 2, "json:1"),
            new BlockScheduled(T0.AddSeconds(7), "pause", 1),
            new BlockStarted(T0.AddSeconds(8), "pause", 1, "w1"),
            new BlockWaiting(T0.AddSeconds(8), "pause", 1, T0.AddHours(1), "wait.signal", Signal: "ship"),
            new CancelRequested(T0.AddSeconds(20), "by hand"),
            new BlockCancelled(T0.AddSeconds(20), "pause", 1),
            new BlockScheduled(T0.AddSeconds(20), "never", 1),
            new RunCompleted(T0.AddSeconds(21), RunStatus.Cancelled, "cancelled: by hand"),
        ];

        var timeline = RunTimeline.Of(events);

        Assert.Equal(
            [
                ("load", 1, "queued", 0, 1, "started", (string?)null),
                ("load", 1, "running", 1, 3, "failed", "w1"),
                ("load", 2, "retry_wait", 3, 5, "scheduled", null),
                ("load", 2, "queued", 5, 6, "started", null),
                ("load", 2, "running", 6, 7, "succeeded", "w2"),
                ("pause", 1, "queued", 7, 8, "started", null),
                ("pause", 1, "running", 8, 8, "waiting", "w1"),
                ("pause", 1, "waiting", 8, 20, "cancelled", "ship"),

                // Still queued when the run ended: shown ending with it, with no outcome of its own.
                ("never", 1, "queued", 20, 21, null, null),
            ],
            timeline.Select(s => (s.Key, s.Attempt, s.Kind, (int)(s.From - T0).TotalSeconds, (int)(s.To!.Value - T0).TotalSeconds, s.Outcome, s.Detail)));
    }

    [Fact]
    public void A_stretch_of_a_run_still_going_has_no_end()
    {
        var timeline = RunTimeline.Of([new BlockScheduled(T0, "a", 1), new BlockStarted(T0.AddSeconds(1), "a", 1, "w")]);

        var running = timeline[^1];
        Assert.Equal(("running", (DateTimeOffset?)null, (string?)null), (running.Kind, running.To, running.Outcome));
    }
}

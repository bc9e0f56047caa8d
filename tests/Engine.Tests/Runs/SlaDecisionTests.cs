using System.Text.Json;
using Duraflow.Engine.Alerts;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Runs;

/// <summary>
/// SLAs in the pure decider: the timer each sets (the run's from its start, a block's from its first attempt of the
/// round, a schedule's start_sla from the tick), a miss raised once while what it watches still goes on, never after.
/// </summary>
public sealed class SlaDecisionTests
{
    private static readonly RunPlan Plan = Of(Block("load") with { Sla = TimeSpan.FromMinutes(5) }) with { Sla = TimeSpan.FromMinutes(10) };

    private static SlaMissed TimerOf(Decision decision, string subject) =>
        Assert.Single(decision.Commands.OfType<StartTimer>(), t => t.Fire is SlaMissed s && s.Subject == subject).Fire as SlaMissed ?? throw new InvalidOperationException();

    [Fact]
    public void The_runs_sla_fires_once_at_its_time_while_the_run_goes_on()
    {
        var requested = Accept(Plan, new RunState(), new RunRequested(T0, "r1", Plan.Pipeline, "hash", new Dictionary<string, JsonElement>(), "test"));
        var started = Accept(Plan, requested.State, new RunStarted(T0));
        var timer = TimerOf(started, "run");
        Assert.Equal(T0.AddMinutes(10), timer.At);

        var missed = Accept(Plan, started.State, TimerEvents.FiredAt(timer, T0.AddMinutes(10)));

        Assert.Equal(RunStatus.Running, missed.State.Status);
        Assert.Equal(["run"], missed.State.SlasMissed);
        Assert.False(RunDecider.Decide(Plan, missed.State, timer).Accepted);
        var occurrence = Assert.Single(AlertOccurrences.Of(missed.Events));
        Assert.Equal("r1/alert/0/sla_missed/0", AlertOccurrences.Key("r1", 0, occurrence, 0));
    }

    [Fact]
    public void A_blocks_sla_counts_from_its_first_attempt_and_is_not_missed_once_it_is_done()
    {
        var state = Started(Plan);
        var blockStarted = Accept(Plan, state, new BlockStarted(T0.AddMinutes(1), "load", 1, "w"));
        var timer = TimerOf(blockStarted, "load");
        Assert.Equal(T0.AddMinutes(6), timer.At);

        var done = Accept(Plan, blockStarted.State, new BlockSucceeded(T0.AddMinutes(2), "load", 1, "out/load", null));

        // The run ended with its only block: neither SLA can be missed now.
        Assert.False(RunDecider.Decide(Plan, done.State, timer).Accepted);
        Assert.False(RunDecider.Decide(Plan, done.State, new SlaMissed(T0.AddMinutes(10), 0)).Accepted);
    }

    [Fact]
    public void A_blocks_miss_names_the_block_in_its_alert_key()
    {
        var blockStarted = Accept(Plan, Started(Plan), new BlockStarted(T0, "load", 1, "w"));

        var missed = Accept(Plan, blockStarted.State, TimerOf(blockStarted, "load"));

        var occurrence = Assert.Single(AlertOccurrences.Of(missed.Events));
        Assert.Equal((AlertEvent.SlaMissed, "load"), (occurrence.Event, occurrence.Block));
        Assert.Equal("r/alert/1/sla_missed/0/load", AlertOccurrences.Key("r", 1, occurrence, 0));
    }

    [Fact]
    public void A_scheduled_runs_start_sla_fires_while_it_waits_for_a_slot_and_not_after_it_started()
    {
        var requested = Accept(Plan, new RunState(), new RunRequested(
            T0, "r1", Plan.Pipeline, "hash", new Dictionary<string, JsonElement>(), "schedule", StartBy: T0.AddMinutes(2)));
        var timer = TimerOf(requested, "start");
        Assert.Equal((T0.AddMinutes(2), true), (timer.At, timer.Start));

        var missed = Accept(Plan, requested.State, timer);
        Assert.Equal(RunStatus.Pending, missed.State.Status);
        var occurrence = Assert.Single(AlertOccurrences.Of(missed.Events));
        Assert.Equal("r1/alert/0/sla_missed/0/start", AlertOccurrences.Key("r1", 0, occurrence, 0));

        var inTime = Accept(Plan, requested.State, new RunStarted(T0.AddMinutes(1)));
        Assert.False(RunDecider.Decide(Plan, inTime.State, timer).Accepted);
    }

    [Fact]
    public void A_retried_run_watches_its_sla_anew_in_its_new_round_and_a_cancelled_one_not_at_all()
    {
        var started = Started(Plan, "r1");
        var missed = Accept(Plan, started, new SlaMissed(T0.AddMinutes(10), 0)).State;
        // The block was only scheduled, so the cancel ends the run at once.
        var ended = Accept(Plan, missed, new CancelRequested(T0.AddMinutes(11), "by hand")).State;
        Assert.Equal(RunStatus.Cancelled, ended.Status);

        var retried = Accept(Plan, ended, new RunRetryRequested(T0.AddMinutes(12)));
        var restarted = Accept(Plan, retried.State, new RunStarted(T0.AddMinutes(12)));
        var timer = TimerOf(restarted, "run");

        Assert.Equal((1, T0.AddMinutes(22)), (timer.Round, timer.At));
        Assert.Empty(restarted.State.SlasMissed);
        Assert.False(RunDecider.Decide(Plan, restarted.State, new SlaMissed(T0.AddMinutes(12), 0)).Accepted);
        Assert.True(RunDecider.Decide(Plan, restarted.State, timer).Accepted);

        var cancelling = Accept(Plan, restarted.State, new CancelRequested(T0.AddMinutes(13), "by hand")).State;
        Assert.False(RunDecider.Decide(Plan, cancelling, timer).Accepted);
    }

    [Fact]
    public void Only_item_0_of_a_block_run_per_item_arms_its_sla()
    {
        var plan = Of(Block("list") with { FanOut = true }, Block("each", "list") with { MappedOver = "list", Sla = TimeSpan.FromMinutes(5) });
        var state = Succeed(plan, Started(plan), "list", items: 3);

        var first = Accept(plan, state, new BlockStarted(T0, "each[1]", 1, "w"));
        var zero = Accept(plan, first.State, new BlockStarted(T0, "each[0]", 1, "w"));

        Assert.DoesNotContain(first.Commands.OfType<StartTimer>(), t => t.Fire is SlaMissed);
        Assert.Equal("each", TimerOf(zero, "each").Key);
    }

    [Fact]
    public void A_plan_without_slas_sets_no_timer()
    {
        var plain = Of(Block("load"));
        var started = Accept(plain, Accept(plain, new RunState(), new RunRequested(T0, "r1", "test", "hash", new Dictionary<string, JsonElement>(), "test")).State, new RunStarted(T0));

        Assert.DoesNotContain(started.Commands.OfType<StartTimer>(), t => t.Fire is SlaMissed);
    }
}

using Duraflow.Engine.Runs;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Runs;

public class RunDeciderTests
{
    private static readonly RunPlan Chain = Of(Block("a"), Block("b", "a"), Block("c", "b"));

    [Fact]
    public void Start_schedules_only_the_roots()
    {
        var decision = RunDecider.Decide(Chain, Accept(Chain, new RunState(), new RunRequested(T0, "r", "test", "h", new Dictionary<string, System.Text.Json.JsonElement>(), "cli")).State, new RunStarted(T0));

        Assert.Equal([new DispatchBlock("a", 1)], decision.Commands.OfType<DispatchBlock>());
        Assert.Equal(BlockStatus.Scheduled, decision.State.Block("a").Status);
        Assert.Equal(BlockStatus.Pending, decision.State.Block("b").Status);
    }

    [Fact]
    public void A_chain_runs_block_by_block_and_the_run_succeeds()
    {
        var state = Started(Chain);
        state = Succeed(Chain, state, "a");
        Assert.Equal(BlockStatus.Scheduled, state.Block("b").Status);
        state = Succeed(Chain, state, "b");
        var attempt = state.Block("c").Attempt;
        state = Accept(Chain, state, new BlockStarted(T0, "c", attempt, "w")).State;
        var last = Accept(Chain, state, new BlockSucceeded(T0, "c", attempt, "out/c"));

        Assert.Equal(RunStatus.Succeeded, last.State.Status);
        Assert.Contains(last.Events, e => e is RunCompleted { Status: RunStatus.Succeeded });
    }

    [Fact]
    public void A_second_report_of_the_same_success_is_rejected_and_changes_nothing()
    {
        var state = Succeed(Chain, Started(Chain), "a");

        var duplicate = RunDecider.Decide(Chain, state, new BlockSucceeded(T0, "a", 1, "out/other"));

        Assert.False(duplicate.Accepted);
        Assert.Empty(duplicate.Events);
        Assert.Same(state, duplicate.State);
        Assert.Equal("out/a", state.Block("a").Output);
    }

    [Fact]
    public void A_report_for_a_block_that_was_never_scheduled_is_rejected()
    {
        var decision = RunDecider.Decide(Chain, Started(Chain), new BlockSucceeded(T0, "c", 1, "out/c"));

        Assert.False(decision.Accepted);
        Assert.Contains("not in flight", decision.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void A_retryable_failure_with_attempts_left_starts_a_timer_with_the_policy_delay()
    {
        var plan = Of(Block("a") with { Retry = Retries(3, delayMs: 100) });
        var failedAt = T0.AddSeconds(5);

        var decision = RunDecider.Decide(plan, Accept(plan, Started(plan), new BlockStarted(T0, "a", 1, "w")).State, new BlockFailed(failedAt, "a", 1, "boom", true));

        Assert.Equal(BlockStatus.Retrying, decision.State.Block("a").Status);
        var timer = Assert.Single(decision.Commands.OfType<StartTimer>());
        Assert.Equal(failedAt.AddMilliseconds(100), timer.DueAt);
        Assert.Equal(new RetryTimerFired(failedAt.AddMilliseconds(100), "a", 2), timer.Fire);
    }

    [Fact]
    public void Retry_delays_grow_by_the_backoff_factor_and_the_last_failure_fails_the_run()
    {
        var plan = Of(Block("a") with { Retry = Retries(3, delayMs: 100) }, Block("b", "a"));
        var state = Fail(plan, Started(plan), "a");
        Assert.Equal(T0.AddMilliseconds(100), state.Block("a").RetryAt);
        state = Accept(plan, state, new RetryTimerFired(T0.AddMilliseconds(100), "a", 2)).State;
        state = Fail(plan, state, "a");
        Assert.Equal(T0.AddMilliseconds(200), state.Block("a").RetryAt);
        state = Accept(plan, state, new RetryTimerFired(T0.AddMilliseconds(200), "a", 3)).State;

        state = Fail(plan, state, "a");

        Assert.Equal(BlockStatus.Failed, state.Block("a").Status);
        Assert.Equal(BlockStatus.UpstreamFailed, state.Block("b").Status);
        Assert.Equal(RunStatus.Failed, state.Status);
        Assert.StartsWith("block a failed: boom", state.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_retryable_failure_fails_at_once_whatever_the_policy()
    {
        var plan = Of(Block("a") with { Retry = Retries(5) });

        var state = Fail(plan, Started(plan), "a", retryable: false);

        Assert.Equal(BlockStatus.Failed, state.Block("a").Status);
        Assert.Equal(RunStatus.Failed, state.Status);
    }

    [Fact]
    public void A_stale_retry_timer_is_ignored()
    {
        var plan = Of(Block("a") with { Retry = Retries(3) });
        var state = Fail(plan, Started(plan), "a");
        state = Accept(plan, state, new RetryTimerFired(T0, "a", 2)).State;

        Assert.False(RunDecider.Decide(plan, state, new RetryTimerFired(T0, "a", 2)).Accepted);
    }

    [Fact]
    public void A_skipped_block_skips_its_downstream_unless_that_block_has_its_own_when()
    {
        var plan = Of(Block("a") with { When = "{{ false }}" }, Block("b", "a"), Block("c", "a") with { When = "{{ true }}" });
        var state = Started(plan);
        state = Accept(plan, state, new BlockStarted(T0, "a", 1, "w")).State;

        state = Accept(plan, state, new BlockSkipped(T0, "a", "when was false", 1)).State;

        Assert.Equal(BlockStatus.Skipped, state.Block("b").Status);
        Assert.Equal("upstream block a was skipped", state.Block("b").Error);
        Assert.Equal(BlockStatus.Scheduled, state.Block("c").Status);
    }

    [Fact]
    public void A_fan_out_runs_each_reader_once_per_item_and_the_collector_after_all_items()
    {
        var plan = Of(Block("list") with { FanOut = true }, Block("each", "list") with { MappedOver = "list" }, Block("all", "each"));
        var state = Succeed(plan, Started(plan), "list", items: 3);

        Assert.Equal(["each[0]", "each[1]", "each[2]"], state.Blocks.Where(b => b.Value.Status == BlockStatus.Scheduled && b.Key.EndsWith(']')).Select(b => b.Key));
        Assert.Equal(BlockStatus.Scheduled, state.Block("each").Status);
        state = Succeed(plan, state, "each[0]");
        state = Succeed(plan, state, "each[2]");
        Assert.Equal(BlockStatus.Pending, state.Block("all").Status);
        state = Succeed(plan, state, "each[1]");

        Assert.Equal(BlockStatus.Succeeded, state.Block("each").Status);
        Assert.Equal(BlockStatus.Scheduled, state.Block("all").Status);
    }

    [Fact]
    public void A_fan_out_with_no_items_lets_the_collector_run_on_an_empty_list()
    {
        var plan = Of(Block("list") with { FanOut = true }, Block("each", "list") with { MappedOver = "list" }, Block("all", "each"));

        var state = Succeed(plan, Started(plan), "list", items: 0);

        Assert.Equal(BlockStatus.Succeeded, state.Block("each").Status);
        Assert.Equal(BlockStatus.Scheduled, state.Block("all").Status);
    }

    [Fact]
    public void A_collector_is_blocked_as_soon_as_its_mapped_block_fails_even_while_another_upstream_block_runs()
    {
        var plan = Of(
            Block("list") with { FanOut = true },
            Block("each", "list") with { MappedOver = "list" },
            Block("slow"),
            Block("all", "each", "slow"));
        var state = Succeed(plan, Started(plan), "list", items: 2);
        state = Accept(plan, state, new BlockStarted(T0, "slow", 1, "w")).State;
        state = Accept(plan, state, new BlockFailed(T0, "each[0]", 1, "boom", Retryable: false)).State;
        Assert.Equal(BlockStatus.Pending, state.Block("all").Status);

        // The last item ends the mapped block as failed: the collector cannot run whatever slow does.
        state = Succeed(plan, state, "each[1]");

        Assert.Equal(BlockStatus.Failed, state.Block("each").Status);
        Assert.Equal(BlockStatus.UpstreamFailed, state.Block("all").Status);
        Assert.Equal(BlockStatus.Running, state.Block("slow").Status);
    }

    [Fact]
    public void A_fan_out_block_must_report_its_item_count()
    {
        var plan = Of(Block("list") with { FanOut = true });
        var state = Accept(plan, Started(plan), new BlockStarted(T0, "list", 1, "w")).State;

        Assert.False(RunDecider.Decide(plan, state, new BlockSucceeded(T0, "list", 1, "out")).Accepted);
    }

    [Fact]
    public void Cancel_cancels_waiting_blocks_at_once_and_stops_running_ones()
    {
        var plan = Of(Block("a"), Block("b"), Block("c", "a"));
        var state = Accept(plan, Started(plan), new BlockStarted(T0, "a", 1, "w")).State;

        var decision = Accept(plan, state, new CancelRequested(T0, "test"));

        Assert.Equal(RunStatus.Cancelling, decision.State.Status);
        Assert.Equal(BlockStatus.Cancelled, decision.State.Block("b").Status);
        Assert.Equal(BlockStatus.Cancelled, decision.State.Block("c").Status);
        Assert.Equal(["a"], Assert.Single(decision.Commands.OfType<StopRunningBlocks>()).Keys);
        var done = Accept(plan, decision.State, new BlockCancelled(T0, "a", 1));
        Assert.Equal(RunStatus.Cancelled, done.State.Status);
    }

    [Fact]
    public void The_run_timeout_fails_the_run_after_its_running_blocks_stop()
    {
        var plan = Of(Block("a")) with { Timeout = TimeSpan.FromMinutes(5) };
        var started = Accept(plan, Accept(plan, new RunState(), new RunRequested(T0, "r", "test", "h", new Dictionary<string, System.Text.Json.JsonElement>(), "cli")).State, new RunStarted(T0));
        var timer = Assert.Single(started.Commands.OfType<StartTimer>());
        Assert.Equal(T0.AddMinutes(5), timer.DueAt);
        var state = Accept(plan, started.State, new BlockStarted(T0, "a", 1, "w")).State;

        state = Accept(plan, state, timer.Fire).State;
        state = Accept(plan, state, new BlockCancelled(T0, "a", 1)).State;

        Assert.Equal(RunStatus.Failed, state.Status);
        Assert.Contains("timed out after 5m", state.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Retrying_a_failed_run_reruns_failed_and_downstream_blocks_and_keeps_succeeded_ones()
    {
        var plan = Of(Block("a"), Block("b", "a"), Block("c", "b"));
        var state = Succeed(plan, Started(plan), "a");
        state = Fail(plan, state, "b", retryable: false);
        Assert.Equal(RunStatus.Failed, state.Status);

        var retried = Accept(plan, state, new RunRetryRequested(T0));
        Assert.Contains(retried.Commands, c => c is StartWhenSlotFree);
        state = Accept(plan, retried.State, new RunStarted(T0)).State;

        Assert.Equal(BlockStatus.Succeeded, state.Block("a").Status);
        Assert.Equal("out/a", state.Block("a").Output);
        Assert.Equal(BlockStatus.Scheduled, state.Block("b").Status);
        Assert.Equal(2, state.Block("b").Attempt);
        Assert.Equal(BlockStatus.Pending, state.Block("c").Status);
        Assert.Equal(1, state.Round);
    }

    [Fact]
    public void Only_failed_or_cancelled_runs_can_be_retried()
    {
        var decision = RunDecider.Decide(Chain, Started(Chain), new RunRetryRequested(T0));

        Assert.False(decision.Accepted);
        Assert.Contains("only a failed or cancelled run can be retried", decision.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_the_engine_decides_are_not_accepted_from_outside()
    {
        var decision = RunDecider.Decide(Chain, Started(Chain), new BlockScheduled(T0, "b", 1));

        Assert.False(decision.Accepted);
    }

    [Fact]
    public void Jitter_is_a_stable_draw_in_zero_to_one()
    {
        var draws = Enumerable.Range(1, 200).Select(i => RunDecider.Jitter("run", "block", i)).ToList();

        Assert.All(draws, d => Assert.InRange(d, 0, 0.9999999));
        Assert.Equal(draws[7], RunDecider.Jitter("run", "block", 8));
        Assert.True(draws.Distinct().Count() > 190);
    }
}

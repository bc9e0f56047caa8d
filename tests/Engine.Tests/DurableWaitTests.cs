using System.Text.Json;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Tests.Runs;

namespace Duraflow.Engine.Tests;

/// <summary>
/// Issue 20's durable waits: <c>wait.for</c> / <c>wait.until</c> blocks and a block's <c>repeat:</c>, read from YAML
/// with located errors, then decided by the pure decider both runtimes share (the acceptance suite runs them end to
/// end on each runtime).
/// </summary>
public class DurableWaitTests
{
    private static readonly RepeatPolicy EveryFiveSecondsThreeRuns = new(TimeSpan.FromSeconds(5), "{{ output.done }}", 3, GiveUp.Fail);

    private static string OnlyError(string yaml)
    {
        var result = PipelineFixture.Check(yaml);
        Assert.False(result.IsValid);
        return Assert.Single(result.Diagnostics).ToString();
    }

    private static string BlockError(string block) => OnlyError($"name: p\nblocks:\n  - {block}\n");

    [Fact]
    public void Repeat_is_read_with_its_defaults_and_until_may_read_other_blocks()
    {
        var result = Definitions.Loading.Parse("""
            name: p
            blocks:
              - { name: job, uses: csv.read, with: { path: a.csv } }
              - { name: poll, uses: csv.read, with: { path: b.csv }, repeat: { every: 30s, until: "{{ output.state == blocks.job.want }}" } }
              - { name: bounded, uses: csv.read, with: { path: c.csv }, repeat: { every: 1m, until: "output", max: 12, on_max: skip } }
            """);

        Assert.Empty(result.Diagnostics);
        var poll = result.Definition!.Blocks.Single(b => b.Name == "poll").Repeat!;
        Assert.Equal(new RepeatPolicy(TimeSpan.FromSeconds(30), "{{ output.state == blocks.job.want }}", RepeatPolicy.DefaultMax, GiveUp.Fail), poll);
        Assert.Contains(result.Definition.Blocks.Single(b => b.Name == "poll").TemplateReferences, r => r is { Root: "blocks", Name: "job" });
        Assert.DoesNotContain(result.Definition.Blocks.Single(b => b.Name == "poll").TemplateReferences, r => r.Root == "output");
        Assert.Equal(new RepeatPolicy(TimeSpan.FromMinutes(1), "output", 12, GiveUp.Skip), result.Definition.Blocks.Single(b => b.Name == "bounded").Repeat);
    }

    [Theory]
    [InlineData("{ until: '{{ output }}' }", "DF010", "'every'")]
    [InlineData("{ every: 5s }", "DF010", "'until'")]
    [InlineData("{ every: soon, until: '{{ output }}' }", "DF006", "'every' 'soon' is not a duration")]
    [InlineData("{ every: 400d, until: '{{ output }}' }", "DF017", "longer than 365d")]
    [InlineData("{ every: 5s, until: '{{ output }}', max: 0 }", "DF017", "'max' must be at least 1")]
    [InlineData("{ every: 5s, until: '{{ output }}', max: 10001 }", "DF017", "'max' must be at most 10000")]
    [InlineData("{ every: 5s, until: '{{ output }}', max: many }", "DF011", "'max' must be a whole number")]
    [InlineData("{ every: 5s, until: '{{ output }}', on_max: skipp }", "DF017", "did you mean 'skip'")]
    [InlineData("{ every: 5s, until: '{{ output }}', evry: 5s }", "DF005", "did you mean 'every'")]
    [InlineData("{ every: 5s, until: '{{ outptu.state }}' }", "DF016", "did you mean 'output'")]
    [InlineData("{ every: 5s, until: '{{ output.state == }}' }", "DF016", "'until'")]
    [InlineData("{ every: 5s, until: [a, b] }", "DF011", "'until'")]
    [InlineData("every 5s", "DF011", "'repeat' of block 'a'")]
    public void A_bad_repeat_is_refused_where_it_is_written(string repeat, string code, string says)
    {
        var error = BlockError($"{{ name: a, uses: csv.read, with: {{ path: a.csv }}, repeat: {repeat} }}");

        Assert.Contains($"p/pipeline.yaml:3:", error, StringComparison.Ordinal);
        Assert.Contains(code, error, StringComparison.Ordinal);
        Assert.Contains(says, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_means_nothing_outside_repeat_until()
    {
        var error = BlockError("{ name: a, uses: csv.read, with: { path: a.csv }, when: '{{ output.done }}' }");

        Assert.Contains("DF016", error, StringComparison.Ordinal);
        Assert.Contains("unknown template root 'output'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ name: w, uses: wait.for }", "DF010", "duration")]
    [InlineData("{ name: w, uses: wait.until, with: { time: '2026-12-07T06:00:00Z', duration: 5s } }", "DF005", "wait.until has no setting 'duration'")]
    [InlineData("{ name: w, uses: wait.for, with: { duration: later } }", "DF011", "must be a duration above zero")]
    [InlineData("{ name: w, uses: wait.for, with: { duration: 5s }, fan_out: true }", "DF017", "cannot fan out")]
    [InlineData("{ name: w, uses: wait.for, with: { duration: 5s }, repeat: { every: 1s, until: '{{ output }}' } }", "DF017", "cannot repeat")]
    [InlineData("{ name: w, uses: wait.fro, with: { duration: 5s } }", "DF013", "did you mean 'wait.for'")]
    [InlineData("{ name: w, uses: wait.signal }", "DF010", "with.name")]
    [InlineData("{ name: w, uses: wait.signal, with: { name: 'go now' } }", "DF017", "'go now' is not a signal name")]
    [InlineData("{ name: w, uses: wait.approval, with: { name: ship, timeout: 1h, on_timeout: later } }", "DF017", "skip")]
    [InlineData("{ name: w, uses: wait.approval, with: { name: ship, timeout: soon } }", "DF011", "must be a duration above zero")]
    [InlineData("{ name: w, uses: wait.signal, with: { name: go, data: 1 } }", "DF005", "has no setting 'data'")]
    [InlineData("{ name: w, uses: wait.approval, with: { name: go }, timeout: 1h }", "DF017", "with.timeout bounds the wait")]
    [InlineData("{ name: w, uses: wait.for, with: { duration: 1h }, timeout: 2h }", "DF017", "has no effect on wait.for")]
    [InlineData("{ name: w, uses: wait.signal, with: { name: go, on_timeout: skip } }", "DF017", "on_timeout has no effect without with.timeout")]
    [InlineData("{ name: w, uses: wait.signal, with: { name: go }, limits: [api] }", "DF017", "takes no limits")]
    public void A_bad_wait_block_is_refused_with_the_fix(string block, string code, string says)
    {
        var error = BlockError(block);

        Assert.Contains(code, error, StringComparison.Ordinal);
        Assert.Contains(says, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_templated_wait_is_valid_and_its_template_makes_the_block_it_reads_upstream()
    {
        var result = PipelineFixture.Check("""
            name: p
            blocks:
              - { name: plan, uses: csv.read, with: { path: a.csv } }
              - { name: w, uses: wait.until, with: { time: "{{ blocks.plan.at }}" } }
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void A_run_whose_output_fails_until_waits_every_then_runs_again_with_fresh_retries()
    {
        var plan = Plans.Of(Plans.Block("poll") with { Repeat = EveryFiveSecondsThreeRuns, Retry = Plans.Retries(2) });
        var state = Started(plan);

        var unmet = Plans.Accept(plan, state, new BlockUntilFalse(Plans.T0, "poll", 1, "json:{\"done\":false}"));

        var waiting = Assert.Single(unmet.Events.OfType<BlockWaiting>());
        Assert.Equal(new BlockWaiting(Plans.T0, "poll", 1, Plans.T0.AddSeconds(5), WaitKinds.Repeat), waiting);
        Assert.Equal(new StartTimer(new WaitTimerFired(Plans.T0.AddSeconds(5), "poll", 1), Plans.T0.AddSeconds(5)), Assert.Single(unmet.Commands));
        var block = unmet.State.Block("poll");
        Assert.Equal((BlockStatus.Waiting, "repeat", 1, "json:{\"done\":false}"), (block.Status, block.WaitingFor, block.Repeats, block.Output));
        Assert.Equal(Plans.T0, block.WaitingSince);

        var fired = Plans.Accept(plan, unmet.State, new WaitTimerFired(Plans.T0.AddSeconds(5), "poll", 1));

        Assert.Equal(new DispatchBlock("poll", 2), Assert.Single(fired.Commands));
        Assert.Equal((BlockStatus.Scheduled, 2, (string?)null), (fired.State.Block("poll").Status, fired.State.Block("poll").FirstAttemptOfRound, fired.State.Block("poll").WaitingFor));

        // The next run fails once: it has the whole retry policy, although attempt 1 was a run of its own.
        var started = Plans.Accept(plan, fired.State, new BlockStarted(Plans.T0.AddSeconds(6), "poll", 2, "w")).State;
        var failed = Plans.Accept(plan, started, new BlockFailed(Plans.T0.AddSeconds(7), "poll", 2, "IOException: flaky", true));
        Assert.Single(failed.Events.OfType<BlockRetrying>());
    }

    [Theory]
    [InlineData("fail", "failed", "failed")]
    [InlineData("skip", "skipped", "succeeded")]
    public void The_last_allowed_run_ends_the_block_as_on_max_says_without_retries(string end, string block, string run)
    {
        var onMax = Enum.Parse<GiveUp>(end, ignoreCase: true);
        var plan = Plans.Of(Plans.Block("poll") with { Repeat = EveryFiveSecondsThreeRuns with { OnMax = onMax }, Retry = Plans.Retries(5) });
        var state = Started(plan);
        Decision decision = null!;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var at = Plans.T0.AddMinutes(attempt);
            decision = Plans.Accept(plan, state, new BlockUntilFalse(at, "poll", attempt, "json:{\"done\":false}"));
            if (attempt < 3)
            {
                state = Plans.Accept(plan, decision.State, new WaitTimerFired(at.AddSeconds(5), "poll", attempt)).State;
                state = Plans.Accept(plan, state, new BlockStarted(at.AddSeconds(5), "poll", attempt + 1, "w")).State;
            }
        }

        Assert.Equal(block, decision.State.Block("poll").Status.ToSnakeCase());
        Assert.Equal(run, decision.State.Status.ToSnakeCase());
        Assert.StartsWith("repeat: until was still false after 3 runs (max 3)", decision.State.Block("poll").Error, StringComparison.Ordinal);
        Assert.DoesNotContain(decision.Events, e => e is BlockRetrying or BlockWaiting);
    }

    [Fact]
    public void A_wait_block_succeeds_with_its_end_time_when_the_timer_fires()
    {
        var plan = Plans.Of(Plans.WaitBlock("pause"), Plans.Block("after", "pause"));
        var state = Started(plan);
        var until = Plans.T0.AddHours(2);

        var waiting = Plans.Accept(plan, state, new BlockWaiting(Plans.T0, "pause", 1, until, "wait.for"));

        Assert.Equal(BlockStatus.Waiting, waiting.State.Block("pause").Status);
        Assert.Equal(until, waiting.State.Block("pause").WaitUntil);
        Assert.Equal(new StartTimer(new WaitTimerFired(until, "pause", 1), until), Assert.Single(waiting.Commands));

        var early = RunDecider.Decide(plan, waiting.State, new WaitTimerFired(until, "pause", 2));
        Assert.False(early.Accepted);

        var fired = Plans.Accept(plan, waiting.State, new WaitTimerFired(until, "pause", 1));

        Assert.Equal(BlockStatus.Succeeded, fired.State.Block("pause").Status);
        Assert.True(OutputReference.TryGetInlineJson(fired.State.Block("pause").Output!, out var json));
        Assert.Equal(until, JsonDocument.Parse(json).RootElement.GetProperty("until").GetDateTimeOffset());
        Assert.Equal(new DispatchBlock("after", 1), Assert.Single(fired.Commands));

        // A redelivered timer changes nothing.
        Assert.False(RunDecider.Decide(plan, fired.State, new WaitTimerFired(until, "pause", 1)).Accepted);
    }

    [Fact]
    public void Only_wait_blocks_report_waits_and_only_repeating_blocks_report_a_false_until()
    {
        var plan = Plans.Of(Plans.Block("plain"));
        var state = Started(plan);

        Assert.Contains("not a wait block", RunDecider.Decide(plan, state, new BlockWaiting(Plans.T0, "plain", 1, Plans.T0, "wait.for")).Rejection, StringComparison.Ordinal);
        Assert.Contains("has no 'repeat'", RunDecider.Decide(plan, state, new BlockUntilFalse(Plans.T0, "plain", 1, "json:1")).Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelling_a_run_cancels_its_waiting_blocks_and_their_timers_change_nothing_after()
    {
        var plan = Plans.Of(Plans.WaitBlock("pause"), Plans.Block("poll") with { Repeat = EveryFiveSecondsThreeRuns });
        var state = Started(plan);
        state = Plans.Accept(plan, state, new BlockWaiting(Plans.T0, "pause", 1, Plans.T0.AddHours(1), "wait.for")).State;
        state = Plans.Accept(plan, state, new BlockUntilFalse(Plans.T0, "poll", 1, "json:{}")).State;
        Assert.Equal((2, true), (state.WaitingBlocks, state.IsWaiting));

        var cancelled = Plans.Accept(plan, state, new CancelRequested(Plans.T0.AddMinutes(1), "by hand"));

        Assert.Equal(RunStatus.Cancelled, cancelled.State.Status);
        Assert.All(["pause", "poll"], key => Assert.Equal(BlockStatus.Cancelled, cancelled.State.Block(key).Status));
        Assert.All(["pause", "poll"], key => Assert.Null(cancelled.State.Block(key).WaitingFor));
        Assert.False(RunDecider.Decide(plan, cancelled.State, new WaitTimerFired(Plans.T0.AddHours(1), "pause", 1)).Accepted);
        Assert.Equal((0, false), (cancelled.State.WaitingBlocks, cancelled.State.IsWaiting));
    }

    [Fact]
    public void A_wait_reported_after_a_cancel_cancels_its_block_and_ends_the_run()
    {
        var plan = Plans.Of(Plans.WaitBlock("pause"));
        var state = Started(plan);
        state = Plans.Accept(plan, state, new BlockStarted(Plans.T0, "pause", 1, "w")).State;
        state = Plans.Accept(plan, state, new CancelRequested(Plans.T0, "by hand")).State;
        Assert.Equal(RunStatus.Cancelling, state.Status);

        var late = Plans.Accept(plan, state, new BlockWaiting(Plans.T0, "pause", 1, Plans.T0.AddHours(1), "wait.for"));

        Assert.Equal(BlockStatus.Cancelled, late.State.Block("pause").Status);
        Assert.Equal(RunStatus.Cancelled, late.State.Status);
        Assert.DoesNotContain(late.Commands, c => c is StartTimer);
    }

    [Fact]
    public void A_retried_run_gives_a_repeating_block_its_runs_again_and_folding_the_events_rebuilds_the_state()
    {
        var plan = Plans.Of(Plans.Block("poll") with { Repeat = EveryFiveSecondsThreeRuns with { Max = 1 } });
        var state = Started(plan);
        var ended = Plans.Accept(plan, state, new BlockUntilFalse(Plans.T0, "poll", 1, "json:{}"));
        Assert.Equal(RunStatus.Failed, ended.State.Status);

        var retried = Plans.Accept(plan, ended.State, new RunRetryRequested(Plans.T0.AddMinutes(1)));

        Assert.Equal((0, BlockStatus.Pending), (retried.State.Block("poll").Repeats, retried.State.Block("poll").Status));
    }

    [Fact]
    public void A_mapped_item_that_waits_makes_its_block_show_waiting()
    {
        var plan = Plans.Of(Plans.Block("list") with { FanOut = true }, Plans.Block("poll", "list") with { MappedOver = "list", Repeat = EveryFiveSecondsThreeRuns });
        var state = Plans.Succeed(plan, Started(plan), "list", items: 2);
        state = Plans.Accept(plan, state, new BlockUntilFalse(Plans.T0, "poll[0]", 1, "json:{}")).State;
        state = Plans.Succeed(plan, state, "poll[1]");

        Assert.Equal(BlockStatus.Waiting, state.Block("poll").Status);
        Assert.Equal(BlockStatus.Waiting, state.Block("poll[0]").Status);

        // The run waits on one item; the block's summary, waiting because of it, is not counted again.
        Assert.Equal((1, true), (state.WaitingBlocks, state.IsWaiting));
        var fired = Plans.Accept(plan, state, new WaitTimerFired(Plans.T0.AddSeconds(5), "poll[0]", 1)).State;
        Assert.Equal((0, false), (fired.WaitingBlocks, fired.IsWaiting));
    }

    [Fact]
    public void Events_of_waits_round_trip_through_the_store_format()
    {
        RunEvent[] events =
        [
            new BlockUntilFalse(Plans.T0, "poll", 1, "json:{}", new Dictionary<string, double> { ["rows_returned"] = 3 }),
            new BlockWaiting(Plans.T0, "poll", 1, Plans.T0.AddSeconds(5), WaitKinds.Repeat),
            new WaitTimerFired(Plans.T0.AddSeconds(5), "poll", 1),
        ];

        var json = JsonSerializer.Serialize(events, EngineJson.Options);
        var back = JsonSerializer.Deserialize<RunEvent[]>(json, EngineJson.Options)!;

        Assert.Contains("\"type\":\"block_until_false\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"block_waiting\"", json, StringComparison.Ordinal);
        Assert.Equal(events[1], back[1]);
        Assert.Equal(events[2], back[2]);
        Assert.Equal(3, ((BlockUntilFalse)back[0]).Metrics!["rows_returned"]);
    }

    // Started, with its first blocks dispatched: a repeating or waiting block's first attempt is in flight.
    private static RunState Started(RunPlan plan)
    {
        var state = Plans.Started(plan);
        foreach (var key in state.Blocks.Where(b => b.Value.Status == BlockStatus.Scheduled).Select(b => b.Key).ToList())
        {
            state = Plans.Accept(plan, state, new BlockStarted(Plans.T0, key, 1, "w")).State;
        }

        return state;
    }
}

using System.Text.Json;
using Duraflow.Blocks.Catalog;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Tests.Runs;

namespace Duraflow.Engine.Tests;

/// <summary>
/// Issue 20's signals and approvals as the pure decider decides them on both runtimes: one signal answers one wait,
/// early signals are kept, keys count once, approvals succeed or fail for good, timeouts fail or skip.
/// </summary>
public class SignalDeliveryTests
{
    private static readonly RunPlan TwoWaits = Plans.Of(Wait("first", "wait.signal"), Wait("second", "wait.signal"));

    [Fact]
    public void A_signal_sent_before_its_wait_is_kept_and_taken_when_the_wait_starts()
    {
        var state = Started(TwoWaits);
        state = Plans.Accept(TwoWaits, state, Signal("go", """{ "n": 1 }""")).State;
        Assert.Null(Assert.Single(state.Signals).TakenBy);

        var waiting = Plans.Accept(TwoWaits, state, Waiting("first", "go"));

        Assert.Equal(BlockStatus.Succeeded, waiting.State.Block("first").Status);
        Assert.Equal("json:{ \"n\": 1 }", waiting.State.Block("first").Output);
        Assert.Equal("first", Assert.Single(waiting.State.Signals).TakenBy);
        Assert.DoesNotContain(waiting.Commands, c => c is StartTimer);
    }

    [Fact]
    public void One_signal_answers_one_wait_the_longest_waiting_first()
    {
        var state = Started(TwoWaits);
        state = Plans.Accept(TwoWaits, state, Waiting("second", "go", at: Plans.T0)).State;
        state = Plans.Accept(TwoWaits, state, Waiting("first", "go", at: Plans.T0.AddSeconds(1))).State;

        state = Plans.Accept(TwoWaits, state, Signal("go", null)).State;

        Assert.Equal((BlockStatus.Waiting, BlockStatus.Succeeded), (state.Block("first").Status, state.Block("second").Status));
        Assert.Equal("json:null", state.Block("second").Output);
        state = Plans.Accept(TwoWaits, state, Signal("go", null)).State;
        Assert.Equal(RunStatus.Succeeded, state.Status);
    }

    [Fact]
    public void A_key_counts_once_and_a_finished_run_takes_no_signal()
    {
        var state = Started(TwoWaits);
        state = Plans.Accept(TwoWaits, state, Signal("go", null, key: "k")).State;

        Assert.Contains("key 'k' was received already", RunDecider.Decide(TwoWaits, state, Signal("go", null, key: "k")).Rejection, StringComparison.Ordinal);
        state = Plans.Accept(TwoWaits, state, new CancelRequested(Plans.T0, "by hand")).State;
        Assert.Contains("only a pending or running run", RunDecider.Decide(TwoWaits, state, Signal("go", null)).Rejection, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1]", "a signal's data is a JSON object")]
    [InlineData("""{ "by": "someone else" }""", "taken from the caller's identity")]
    [InlineData("BIG", "larger than 4096 bytes")]
    public void Data_that_is_not_a_small_object_of_the_senders_is_refused(string data, string says)
    {
        var state = Started(TwoWaits);
        data = data == "BIG" ? $$"""{ "x": "{{new string('x', 4100)}}" }""" : data;

        Assert.Contains(says, RunDecider.Decide(TwoWaits, state, Signal("go", data)).Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_keeps_at_most_a_hundred_signals()
    {
        var state = Started(TwoWaits);
        for (var i = 0; i < SignalDelivery.MaxSignals; i++)
        {
            state = Plans.Accept(TwoWaits, state, Signal($"s{i}", null)).State;
        }

        Assert.Contains("100 signals", RunDecider.Decide(TwoWaits, state, Signal("one-more", null)).Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void An_approval_succeeds_with_who_approved_and_a_rejection_fails_it_without_retries()
    {
        var plan = Plans.Of(Wait("approve", "wait.approval") with { Retry = Plans.Retries(3) });
        var state = Plans.Accept(plan, Started(plan), Waiting("approve", "ship", kind: "wait.approval")).State;

        Assert.Contains("waits for approval 'ship'", RunDecider.Decide(plan, state, Signal("ship", """{ "approved": "yes" }""")).Rejection, StringComparison.Ordinal);
        var yes = Plans.Accept(plan, state, Signal("ship", """{ "approved": true, "comment": "fine" }""", by: "entra:ada@example.com"));
        var no = Plans.Accept(plan, state, Signal("ship", """{ "approved": false, "comment": "not today" }""", by: "entra:bob@example.com"));

        Assert.True(OutputReference.TryGetInlineJson(yes.State.Block("approve").Output!, out var json));
        using var output = JsonDocument.Parse(json);
        Assert.Equal(("entra:ada@example.com", "fine", true), (output.RootElement.GetProperty("by").GetString(), output.RootElement.GetProperty("comment").GetString(), output.RootElement.GetProperty("approved").GetBoolean()));
        Assert.Equal(BlockStatus.Failed, no.State.Block("approve").Status);
        Assert.Equal("not approved by entra:bob@example.com: not today", no.State.Block("approve").Error);
        Assert.DoesNotContain(no.Events, e => e is BlockRetrying);
    }

    [Fact]
    public void An_unreadable_approval_sent_before_its_wait_fails_the_block_when_taken()
    {
        var plan = Plans.Of(Wait("approve", "wait.approval"));
        var state = Plans.Accept(plan, Started(plan), Signal("ship", """{ "ok": true }""")).State;

        var taken = Plans.Accept(plan, state, Waiting("approve", "ship", kind: "wait.approval"));

        Assert.Equal(BlockStatus.Failed, taken.State.Block("approve").Status);
        Assert.Contains("cannot read", taken.State.Block("approve").Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "failed")]
    [InlineData(true, "skipped")]
    public void A_timeout_fails_or_skips_the_wait_and_a_signal_after_it_is_kept(bool skip, string status)
    {
        var state = Started(TwoWaits);
        var until = Plans.T0.AddMinutes(10);
        var waiting = Plans.Accept(TwoWaits, state, Waiting("first", "go", until: until, skip: skip));
        Assert.Equal(new StartTimer(new WaitTimerFired(until, "first", 1), until), Assert.Single(waiting.Commands));

        var fired = Plans.Accept(TwoWaits, waiting.State, new WaitTimerFired(until, "first", 1));

        Assert.Equal(status, fired.State.Block("first").Status.ToSnakeCase());
        Assert.Equal("no signal 'go' came within 10m (wait.signal timeout)", fired.State.Block("first").Error);
        var late = Plans.Accept(TwoWaits, fired.State, Signal("go", null));
        Assert.Null(Assert.Single(late.State.Signals).TakenBy);
    }

    [Fact]
    public void A_retried_run_does_not_read_the_answer_its_failed_wait_took()
    {
        var plan = Plans.Of(Wait("approve", "wait.approval"));
        var state = Plans.Accept(plan, Started(plan), Waiting("approve", "ship", kind: "wait.approval")).State;
        state = Plans.Accept(plan, state, Signal("ship", """{ "approved": false }""")).State;
        Assert.Equal(RunStatus.Failed, state.Status);

        state = Plans.Accept(plan, state, new RunRetryRequested(Plans.T0.AddMinutes(1))).State;
        state = Plans.Accept(plan, state, new RunStarted(Plans.T0.AddMinutes(1))).State;
        state = Plans.Accept(plan, state, new BlockStarted(Plans.T0.AddMinutes(1), "approve", 2, "w")).State;
        var waiting = Plans.Accept(plan, state, new BlockWaiting(Plans.T0.AddMinutes(1), "approve", 2, null, "wait.approval", "ship"));

        Assert.Equal(BlockStatus.Waiting, waiting.State.Block("approve").Status);
        Assert.Equal("approve", Assert.Single(waiting.State.Signals).TakenBy);
    }

    [Fact]
    public void Signal_events_round_trip_through_the_store_format_and_the_state_keeps_its_signals()
    {
        var state = Plans.Accept(TwoWaits, Started(TwoWaits), Signal("go", """{ "n": 1 }""", key: "k")).State;
        var taken = Plans.Accept(TwoWaits, state, Waiting("first", "go"));
        var events = taken.Events.Prepend(Signal("go", """{"n":1}""", key: "k")).ToList();

        var back = JsonSerializer.Deserialize<List<RunEvent>>(JsonSerializer.Serialize(events, EngineJson.Options), EngineJson.Options)!;

        Assert.Equal(events.Select(e => e.GetType()), back.Select(e => e.GetType()));
        Assert.Equal(((SignalReceived)events[0]).By, ((SignalReceived)back[0]).By);
        Assert.Equal(taken.State.Signals, RunState.FromJson(taken.State.ToJson()).Signals, (a, b) => a.Name == b.Name && a.TakenBy == b.TakenBy && a.Key == b.Key);
    }

    [Fact]
    public void A_key_counts_once_per_signal_name_so_one_ticket_can_answer_two_waits()
    {
        var state = Started(TwoWaits);
        state = Plans.Accept(TwoWaits, state, Signal("sign_off", null, key: "change-1234")).State;

        var other = RunDecider.Decide(TwoWaits, state, Signal("publish", null, key: "change-1234"));

        Assert.True(other.Accepted, other.Rejection);
        Assert.Equal(["sign_off", "publish"], other.State.Signals.Select(s => s.Name));
    }

    [Fact]
    public void Data_is_measured_unescaped_so_a_signal_taken_by_one_host_is_taken_after_a_round_trip()
    {
        var state = Started(TwoWaits);
        var accented = Signal("go", $$"""{ "comment": "{{new string('é', 1500)}}" }""");

        var roundTripped = (SignalReceived)JsonSerializer.Deserialize<RunEvent>(JsonSerializer.Serialize<RunEvent>(accented, EngineJson.Options), EngineJson.Options)!;

        Assert.Null(SignalDelivery.DataProblem(accented.Data));
        Assert.True(RunDecider.Decide(TwoWaits, state, roundTripped).Accepted);
    }

    [Fact]
    public void Taken_signals_give_up_their_data_and_do_not_count_against_the_hundred_kept()
    {
        var plan = Plans.Of(Plans.Block("list") with { FanOut = true }, Wait("ask", "wait.signal") with { Upstream = ["list"], MappedOver = "list" });
        var state = Plans.Succeed(plan, Plans.Started(plan), "list", items: 150);
        for (var i = 0; i < 150; i++)
        {
            var key = $"ask[{i}]";
            state = Plans.Accept(plan, state, new BlockStarted(Plans.T0, key, 1, "w")).State;
            state = Plans.Accept(plan, state, Waiting(key, "go", at: Plans.T0.AddSeconds(i))).State;
        }

        for (var i = 0; i < 150; i++)
        {
            state = Plans.Accept(plan, state, Signal("go", $$"""{ "n": {{i}} }""")).State;
        }

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal("json:{ \"n\": 7 }", state.Block("ask[7]").Output);
        Assert.All(state.Signals, s => Assert.Null(s.Data));
    }

    [Fact]
    public void A_timed_out_or_rejected_wait_shows_no_wait_any_more()
    {
        var plan = Plans.Of(Wait("approve", "wait.approval"));
        var state = Plans.Accept(plan, Started(plan), Waiting("approve", "ship", until: Plans.T0.AddMinutes(1), kind: "wait.approval")).State;

        var rejected = Plans.Accept(plan, state, Signal("ship", """{ "approved": false }""")).State.Block("approve");
        var timedOut = Plans.Accept(plan, state, new WaitTimerFired(Plans.T0.AddMinutes(1), "approve", 1)).State.Block("approve");

        Assert.All([rejected, timedOut], b => Assert.Equal((BlockStatus.Failed, (string?)null, (string?)null, (DateTimeOffset?)null), (b.Status, b.WaitingFor, b.Signal, b.WaitUntil)));
    }

    [Theory]
    [InlineData("ship\n")]
    [InlineData("ship now")]
    [InlineData("")]
    [InlineData("../ship")]
    public void Names_with_anything_but_the_allowed_characters_are_not_signal_names(string name)
    {
        Assert.False(Blocks.BuiltIns.WaitBlocks.IsSignalName(name));
        Assert.Contains("is not a signal name", RunDecider.Decide(TwoWaits, Started(TwoWaits), Signal(name, null)).Rejection, StringComparison.Ordinal);
    }

    private static BlockPlan Wait(string name, string kind) => Plans.Block(name) with { Uses = new BlockUses(BlockKind.BuiltIn, kind) };

    private static SignalReceived Signal(string name, string? data, string? key = null, string by = "test") =>
        new(Plans.T0, name, data is null ? null : JsonDocument.Parse(data).RootElement.Clone(), key, by);

    private static BlockWaiting Waiting(string key, string signal, DateTimeOffset? at = null, DateTimeOffset? until = null, bool skip = false, string kind = "wait.signal") =>
        new(at ?? Plans.T0, key, 1, until, kind, signal, skip);

    // Started, with its first blocks' attempts in flight.
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

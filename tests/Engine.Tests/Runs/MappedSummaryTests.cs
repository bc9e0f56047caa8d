using Duraflow.Engine.Runs;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Runs;

/// <summary>
/// A mapped block's summary entry follows its items by a running tally, not a pass over all of them per item event;
/// these pin that the tally shows what the items say, whatever order their events come in.
/// </summary>
public class MappedSummaryTests
{
    private static readonly RunPlan Map = Of(Block("list") with { FanOut = true }, Block("each", "list") with { MappedOver = "list" });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_interleavings_of_item_events_sum_up_as_the_items_say(int seed)
    {
        const int Items = 30;
        var random = new Random(seed);
        var events = ExpansionEvents(Items);
        var state = RunEvolver.Fold(Map, events);
        var attempts = new int[Items];
        var phase = new string[Items]; // what comes next for each item
        Array.Fill(phase, "schedule");
        var at = T0;
        while (phase.Any(p => p != "done"))
        {
            var i = Enumerable.Range(0, Items).Where(n => phase[n] != "done").ElementAt(random.Next(phase.Count(p => p != "done")));
            var key = $"each[{i}]";
            at = at.AddSeconds(random.Next(1, 5));
            RunEvent e;
            switch (phase[i])
            {
                case "schedule":
                    attempts[i]++;
                    e = new BlockScheduled(at, key, attempts[i]);
                    phase[i] = "start";
                    break;
                case "start":
                    e = new BlockStarted(at, key, attempts[i], "w");
                    phase[i] = "end";
                    break;
                default:
                    (e, phase[i]) = random.Next(6) switch
                    {
                        0 or 1 => ((RunEvent)new BlockSucceeded(at, key, attempts[i], $"json:{i}"), "done"),
                        2 when attempts[i] < 3 => (new BlockFailed(at, key, attempts[i], $"item {i} attempt {attempts[i]} failed", true), "retry"),
                        2 => (new BlockFailed(at, key, attempts[i], $"item {i} gave up", false), "done"),
                        3 => (new BlockSkipped(at, key, "when was false", attempts[i]), "done"),
                        4 => (new BlockCancelled(at, key, attempts[i]), "done"),
                        _ => (new BlockSucceeded(at, key, attempts[i], $"json:{i}", Cached: true), "done"),
                    };
                    break;
                case "retry":
                    e = new BlockRetrying(at, key, attempts[i] + 1, at.AddSeconds(1));
                    phase[i] = "schedule";
                    break;
            }

            events.Add(e);

            // Every fifth event works on a copy, as the decider does, and checks the original kept its summary.
            if (random.Next(5) == 0)
            {
                var before = state.Block("each").Status;
                var copy = state.Clone();
                RunEvolver.Evolve(Map, copy, e);
                Assert.Equal(before, state.Block("each").Status);
                state = copy;
            }
            else if (random.Next(7) == 0)
            {
                // A state read back from its stored form has no tally and builds one from its items.
                state = RunState.FromJson(state.ToJson());
                RunEvolver.Evolve(Map, state, e);
            }
            else
            {
                RunEvolver.Evolve(Map, state, e);
            }

            AssertSummed(state, Items);

            // However the state got here (copies, reads from the stored form), it is the fold of its events.
            if (random.Next(10) == 0)
            {
                Assert.Equal(RunEvolver.Fold(Map, events).ToJson(), state.ToJson());
            }
        }

        Assert.True(state.Block("each").Status.IsTerminal());
        Assert.Equal(RunEvolver.Fold(Map, events).ToJson(), state.ToJson());
    }

    [Fact]
    public void An_item_event_touches_only_its_own_item()
    {
        var state = Expanded(10);
        RunEvolver.Evolve(Map, state, new BlockScheduled(T0, "each[3]", 1));

        // Were the summary made by a pass over all items, the missing item would stop it.
        state.RemoveBlock("each[5]");
        RunEvolver.Evolve(Map, state, new BlockStarted(T0.AddSeconds(1), "each[3]", 1, "w"));

        Assert.Equal(BlockStatus.Running, state.Block("each").Status);
        Assert.Equal(T0.AddSeconds(1), state.Block("each").StartedAt);
    }

    [Fact]
    public void The_first_failing_items_error_is_shown_and_the_next_ones_when_it_recovers()
    {
        var state = Expanded(3);
        foreach (var i in new[] { 0, 2 })
        {
            RunEvolver.Evolve(Map, state, new BlockScheduled(T0, $"each[{i}]", 1));
            RunEvolver.Evolve(Map, state, new BlockStarted(T0, $"each[{i}]", 1, "w"));
            RunEvolver.Evolve(Map, state, new BlockFailed(T0, $"each[{i}]", 1, $"item {i} failed", true));
        }

        Assert.Equal("item 0 failed", state.Block("each").Error);
        RunEvolver.Evolve(Map, state, new BlockRetrying(T0, "each[0]", 2, T0.AddSeconds(1)));
        RunEvolver.Evolve(Map, state, new BlockScheduled(T0, "each[0]", 2));
        Assert.Equal("item 2 failed", state.Block("each").Error);

        RunEvolver.Evolve(Map, state, new BlockRetrying(T0, "each[2]", 2, T0.AddSeconds(1)));
        RunEvolver.Evolve(Map, state, new BlockScheduled(T0, "each[2]", 2));
        Assert.Null(state.Block("each").Error);
        Assert.Equal(2, state.Block("each").Attempt);
        Assert.Equal(BlockStatus.Scheduled, state.Block("each").Status);
    }

    // A run whose fan-out block succeeded with `items` items, each pending.
    private static RunState Expanded(int items) => RunEvolver.Fold(Map, ExpansionEvents(items));

    private static List<RunEvent> ExpansionEvents(int items) =>
    [
        new RunRequested(T0, "run-1", "test", "h", new Dictionary<string, System.Text.Json.JsonElement>(), "manual"),
        new RunStarted(T0),
        new BlockScheduled(T0, "list", 1),
        new BlockStarted(T0, "list", 1, "w"),
        new BlockSucceeded(T0, "list", 1, "json:[]", Items: items),
    ];

    // What the summary must say, worked out from all items the slow way.
    private static void AssertSummed(RunState state, int count)
    {
        var items = Enumerable.Range(0, count).Select(i => state.Block($"each[{i}]")).ToList();
        var summary = state.Block("each");
        var failing = items.Where(i => i.Status is BlockStatus.Failed or BlockStatus.Retrying && i.Error is not null).ToList();
        Assert.Equal(items.Max(i => i.Attempt), summary.Attempt);
        if (items.Any(i => !i.Status.IsTerminal()))
        {
            var expected = items.Any(i => i.Status == BlockStatus.Running) ? BlockStatus.Running
                : items.Any(i => i.Status == BlockStatus.Retrying) ? BlockStatus.Retrying
                : items.Any(i => i.Status == BlockStatus.Scheduled) ? BlockStatus.Scheduled
                : BlockStatus.Pending;
            Assert.Equal(expected, summary.Status);
            Assert.Null(summary.EndedAt);
            Assert.Equal(failing.FirstOrDefault()?.Error, summary.Error);
            Assert.Equal(items.Where(i => i.StartedAt is not null).Min(i => i.StartedAt), summary.StartedAt);
            return;
        }

        var final = items.Any(i => i.Status == BlockStatus.Failed) ? BlockStatus.Failed
            : items.Any(i => i.Status == BlockStatus.Cancelled) ? BlockStatus.Cancelled
            : items.All(i => i.Status == BlockStatus.Skipped) ? BlockStatus.Skipped
            : BlockStatus.Succeeded;
        Assert.Equal(final, summary.Status);
        Assert.Equal(failing.FirstOrDefault()?.Error, summary.Error);
        Assert.Equal(items.Max(i => i.EndedAt), summary.EndedAt);
        Assert.Equal(items.Where(i => i.StartedAt is not null).Min(i => i.StartedAt), summary.StartedAt);
    }
}

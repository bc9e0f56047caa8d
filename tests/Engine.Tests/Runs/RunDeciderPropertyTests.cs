using Duraflow.Engine.Runs;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Runs;

/// <summary>
/// Random plans driven by random, partly duplicated and out-of-order reports: the decider's state must always equal
/// the fold of the events it accepted, and repeated or stale reports must never change anything.
/// </summary>
public class RunDeciderPropertyTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 150)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Folding_the_accepted_events_always_gives_the_decided_state(int seed)
    {
        var random = new Random(seed);
        var plan = RandomPlan(random);
        var log = new List<RunEvent>();
        var inputs = new List<RunEvent>();
        var state = new RunState();
        state = Step(plan, state, new RunRequested(T0, $"run-{seed}", plan.Pipeline, "hash", new Dictionary<string, System.Text.Json.JsonElement>(), "test"), log, inputs);
        var clock = T0;
        for (var step = 0; step < 400 && !(state.Status.IsTerminal() && random.NextDouble() < 0.6); step++)
        {
            clock = clock.AddMilliseconds(random.Next(1, 50));
            var input = NextInput(plan, state, random, clock, inputs);
            if (input is null)
            {
                continue;
            }

            state = Step(plan, state, input, log, inputs);
            if (step % 25 == 0)
            {
                Assert.Equal(Json(state), Json(RunEvolver.Fold(plan, log)));
            }
        }

        Assert.Equal(Json(state), Json(RunEvolver.Fold(plan, log)));
        Assert.Equal(log.Count, state.Version);
        foreach (var group in log.OfType<BlockSucceeded>().GroupBy(e => e.Key))
        {
            Assert.True(group.Count() == 1, $"{group.Key} succeeded {group.Count()} times");
        }

        if (state.Status == RunStatus.Succeeded)
        {
            Assert.All(state.Blocks.Values, b => Assert.True(b.Status.IsTerminal() && b.Status is not (BlockStatus.Failed or BlockStatus.UpstreamFailed)));
        }
    }

    private static RunState Step(RunPlan plan, RunState state, RunEvent input, List<RunEvent> log, List<RunEvent> inputs)
    {
        var before = Json(state);
        var decision = RunDecider.Decide(plan, state, input);
        Assert.Equal(before, Json(state));
        if (!decision.Accepted)
        {
            Assert.Empty(decision.Events);
            Assert.Same(state, decision.State);
            return state;
        }

        Assert.Same(input, decision.Events[0]);
        AssertNothingLeftForAFullPass(plan, decision.State, input.At);
        log.AddRange(decision.Events);
        inputs.Add(input);
        if (input is BlockSucceeded or BlockFailed or BlockSkipped or BlockCancelled or RetryTimerFired or RunStarted)
        {
            var again = RunDecider.Decide(plan, decision.State, input);
            Assert.False(again.Accepted, $"a duplicate {input} was accepted");
        }

        return decision.State;
    }

    /// <summary>
    /// The decider considers only the blocks downstream of what changed; a pass over every block of the decided state
    /// must then find nothing more to do, or the shortcut missed a consequence.
    /// </summary>
    private static void AssertNothingLeftForAFullPass(RunPlan plan, RunState decided, DateTimeOffset at)
    {
        var missed = new List<RunEvent>();
        RunProgress.Advance(plan, decided, at, [new RunStarted(at)], missed.Add);
        Assert.True(missed.Count == 0, $"a full pass still found: {string.Join(", ", missed)}");
    }

    private static RunEvent? NextInput(RunPlan plan, RunState state, Random random, DateTimeOffset at, List<RunEvent> inputs)
    {
        var roll = random.NextDouble();
        if (roll < 0.1 && inputs.Count > 0)
        {
            return inputs[random.Next(inputs.Count)];
        }

        if (roll < 0.15)
        {
            var key = state.Blocks.Keys.ElementAt(random.Next(state.Blocks.Count));
            return new BlockSucceeded(at, key, state.Block(key).Attempt + 1, "stale");
        }

        switch (state.Status)
        {
            case RunStatus.Pending:
                return new RunStarted(at);
            case RunStatus.Failed or RunStatus.Cancelled:
                return new RunRetryRequested(at);
            case RunStatus.Running when roll < 0.17:
                return new CancelRequested(at, "test");
            case RunStatus.Running when roll < 0.19:
                return new RunTimedOut(at, state.Round);
        }

        var live = state.Blocks.Where(b => b.Value.Status is BlockStatus.Scheduled or BlockStatus.Running or BlockStatus.Retrying
            && !(plan.Contains(b.Key) && plan.Block(b.Key).MappedOver is not null && b.Value.Items is not null)).ToList();
        if (live.Count == 0)
        {
            return null;
        }

        var (liveKey, block) = live[random.Next(live.Count)];
        var blockPlan = plan.Block(InstanceKeys.Parse(liveKey).Block);
        return block.Status switch
        {
            BlockStatus.Scheduled => new BlockStarted(at, liveKey, block.Attempt, "w"),
            BlockStatus.Retrying => new RetryTimerFired(at, liveKey, block.Attempt + 1),
            _ => random.Next(10) switch
            {
                < 5 => new BlockSucceeded(at, liveKey, block.Attempt, $"out/{liveKey}", blockPlan.FanOut && !liveKey.EndsWith(']') ? random.Next(0, 4) : null),
                < 8 => new BlockFailed(at, liveKey, block.Attempt, "boom", random.Next(3) > 0),
                < 9 when blockPlan.When is not null => new BlockSkipped(at, liveKey, "when was false", block.Attempt),
                _ => new BlockCancelled(at, liveKey, block.Attempt),
            },
        };
    }

    private static RunPlan RandomPlan(Random random)
    {
        var blocks = new List<BlockPlan>();
        var count = random.Next(3, 16);
        for (var i = 0; i < count; i++)
        {
            var upstream = blocks.Count == 0 ? [] : Enumerable.Range(0, random.Next(0, 3)).Select(_ => blocks[random.Next(blocks.Count)]).DistinctBy(b => b.Name).ToList();
            var fanOuts = upstream.Where(u => u.FanOut).ToList();
            upstream = [.. upstream.Where(u => !u.FanOut || u == fanOuts.FirstOrDefault())];
            var mappedOver = fanOuts.FirstOrDefault()?.Name;
            blocks.Add(Block($"b{i}", [.. upstream.Select(u => u.Name)]) with
            {
                FanOut = mappedOver is null && random.Next(5) == 0,
                MappedOver = mappedOver,
                When = random.Next(4) == 0 ? "{{ true }}" : null,
                Retry = Retries(random.Next(1, 4)),
            });
        }

        return Of([.. blocks]);
    }
}

using System.Text.Json;
using Duraflow.Blocks.Catalog;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Tests.Runs;

/// <summary>Builds plans and drives the decider in tests, without YAML or a store.</summary>
internal static class Plans
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    public static RetryPolicy NoRetry { get; } = RetryPolicy.Default;

    public static RetryPolicy Retries(int attempts, int delayMs = 100, double jitter = 0) =>
        RetryPolicy.Default with { Attempts = attempts, Delay = TimeSpan.FromMilliseconds(delayMs), Jitter = jitter, Factor = 2 };

    public static BlockPlan Block(string name, params string[] upstream) =>
        new() { Name = name, Uses = new BlockUses(BlockKind.Script, $"blocks/{name}.csx"), Upstream = upstream, Retry = NoRetry };

    /// <summary>A <c>wait.for</c> block: one that may report that it waits.</summary>
    public static BlockPlan WaitBlock(string name, params string[] upstream) =>
        Block(name, upstream) with { Uses = new BlockUses(BlockKind.BuiltIn, "wait.for") };

    public static RunPlan Of(params BlockPlan[] blocks) => new() { Pipeline = "test", Blocks = blocks };

    /// <summary>Decides <paramref name="input"/> and returns the decision, failing the test when it is rejected.</summary>
    public static Decision Accept(RunPlan plan, RunState state, RunEvent input)
    {
        var decision = RunDecider.Decide(plan, state, input);
        Assert.True(decision.Accepted, $"{input.GetType().Name} was rejected: {decision.Rejection}");
        return decision;
    }

    public static RunState Started(RunPlan plan, string runId = "run-1") =>
        Accept(plan, Accept(plan, new RunState(), new RunRequested(T0, runId, plan.Pipeline, "hash", new Dictionary<string, JsonElement>(), "test")).State, new RunStarted(T0)).State;

    /// <summary>Runs attempt <c>state.Block(key).Attempt</c> of <paramref name="key"/> to success.</summary>
    public static RunState Succeed(RunPlan plan, RunState state, string key, int? items = null)
    {
        var attempt = state.Block(key).Attempt;
        state = Accept(plan, state, new BlockStarted(T0, key, attempt, "w")).State;
        return Accept(plan, state, new BlockSucceeded(T0, key, attempt, $"out/{key}", items)).State;
    }

    public static RunState Fail(RunPlan plan, RunState state, string key, bool retryable = true, DateTimeOffset? at = null)
    {
        var attempt = state.Block(key).Attempt;
        state = Accept(plan, state, new BlockStarted(at ?? T0, key, attempt, "w")).State;
        return Accept(plan, state, new BlockFailed(at ?? T0, key, attempt, "boom", retryable)).State;
    }

    public static string Json(RunState state) => state.ToJson();
}

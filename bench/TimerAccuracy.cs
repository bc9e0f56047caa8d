using System.Globalization;
using Duraflow.Blocks;
using Duraflow.Blocks.Catalog;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;

namespace Duraflow.Bench;

/// <summary>
/// Issue 20's timer accuracy: runs whose block fails three times under <c>retry.delay: [1s, 2s, 3s]</c> next to a
/// <c>wait.for: 2s</c> block and the block after it, all started at once. Checks that each recorded retry is due
/// exactly its listed delay after its failure, and measures how late each timer took effect: the next attempt's start
/// (its worker's clock) after the retry's due time, and the start of the block after the wait after the wait's end.
/// (The decided events carry the due time itself, so the starts are what show lateness.)
/// </summary>
internal static class TimerAccuracy
{
    private static readonly TimeSpan[] Delays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)];
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    public static async Task<ScenarioOutcome> RunAsync(BenchStore store, int runs, TimeSpan budget)
    {
        var engine = await EngineUnderTest.StartAsync(store, BenchStoreNames.AzureConnection);
        engine.Blocks.Behaviour = (block, context) => block.Name == "flaky" && context.Attempt <= Delays.Length
            ? throw new InvalidOperationException($"failing attempt {context.Attempt} on purpose")
            : block.Name == "pause" ? BlockValue.Of(BlockJson.ToElement(new { seconds = Pause.TotalSeconds })) : BlockValue.Null;
        var plan = new RunPlan
        {
            Pipeline = "timers",
            Blocks =
            [
                new BlockPlan
                {
                    Name = "flaky", Uses = new BlockUses(BlockKind.Script, "flaky.csx"),
                    Retry = RetryPolicy.Default with { Attempts = Delays.Length + 1, Delay = Delays[0], Jitter = 0, Delays = Delays },
                },
                new BlockPlan { Name = "pause", Uses = new BlockUses(BlockKind.BuiltIn, "wait.for"), Retry = RetryPolicy.Default },
                new BlockPlan { Name = "after", Uses = new BlockUses(BlockKind.Script, "after.csx"), Upstream = ["pause"], Retry = RetryPolicy.Default },
            ],
        };
        var outcome = new ScenarioOutcome { Scenario = "timers", Store = store.Name(), Size = OutcomeText.Invariant($"{runs:N0} runs") };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        List<string> ids = [.. Enumerable.Range(0, runs).Select(i => $"timers-{i}-{Guid.NewGuid():N}")];
        try
        {
            await Task.Run(async () =>
            {
                var finished = ids.Select(engine.WhenFinished).ToList();
                await Task.WhenAll(ids.Select(id => engine.StartAsync(plan, id, CancellationToken.None)));
                foreach (var state in await Task.WhenAll(finished))
                {
                    EngineUnderTest.Succeeded(state);
                }
            }).WaitAsync(budget);
        }
        catch (TimeoutException)
        {
            await engine.AbandonAsync(TimeSpan.FromSeconds(15));
            return outcome with { Failure = OutcomeText.Invariant($"did not finish in {budget.TotalSeconds:0} s") };
        }

        var late = new List<double>();
        var started = new List<double>();
        var inexact = 0;
        foreach (var id in ids)
        {
            var events = await engine.Engine.Store.GetEventsAsync(id, CancellationToken.None);
            var failures = events.OfType<BlockFailed>().Where(f => f.Key == "flaky").ToList();
            var retries = events.OfType<BlockRetrying>().Where(r => r.Key == "flaky").ToList();
            inexact += retries.Zip(failures, (r, f) => r.DueAt - f.At).Where((wait, i) => wait != Delays[i]).Count() + Math.Abs(retries.Count - Delays.Length);
            late.AddRange(retries.Select(r => (events.OfType<RetryTimerFired>().Single(f => f.Key == "flaky" && f.NextAttempt == r.NextAttempt).At - r.DueAt).TotalMilliseconds));
            started.AddRange(retries.Select(r => (events.OfType<BlockStarted>().First(s => s.Key == "flaky" && s.Attempt == r.NextAttempt).At - r.DueAt).TotalMilliseconds));
            var wait = events.OfType<BlockWaiting>().Single(w => w.Key == "pause");
            inexact += wait.Until - wait.At == Pause ? 0 : 1;
            late.Add((events.OfType<WaitTimerFired>().Single(f => f.Key == "pause").At - wait.Until!.Value).TotalMilliseconds);
            started.Add((events.OfType<BlockStarted>().First(s => s.Key == "after").At - wait.Until!.Value).TotalMilliseconds);
        }

        await engine.DisposeAsync();
        late.Sort();
        started.Sort();
        var early = late.Count(ms => ms < 0);
        return outcome with
        {
            Value = late[^1],
            Unit = "ms late at most",
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
            Note = string.Create(CultureInfo.InvariantCulture,
                $"{late.Count:N0} timers taking effect: p50 {late[late.Count / 2]:0} ms late, max {late[^1]:0} ms; the next block starting: p50 {started[started.Count / 2]:0} ms, max {started[^1]:0} ms; due times off the list: {inexact}; fired early: {early}"),
            Failure = inexact + early == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{inexact} due times differ from the list and {early} timers fired early"),
        };
    }
}

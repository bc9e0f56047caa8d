using System.Diagnostics;
using Duraflow.Engine.Tests;

namespace Duraflow.Bench;

/// <summary>
/// Trigger to first block, in process: the time from handing a run to the duraflow runtime (<c>StartAsync</c>) to the no-op executor
/// being invoked for the run's block, over sequential single-block runs (each waits for the one before to end), after a
/// warm-up.
/// </summary>
internal static class InProcessLatency
{
    public static async Task<ScenarioOutcome> RunAsync(BenchStore store, int samples, TimeSpan budget)
    {
        var engine = await EngineUnderTest.StartAsync(store, BenchStoreNames.AzureConnection);
        var starts = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        engine.Blocks.Started += (runId, _) => starts.TryAdd(runId, Stopwatch.GetTimestamp());
        var plan = RunShapes.Chain(1, "latency");
        var memory = PeakMemory.Reset();
        var outcome = new ScenarioOutcome { Scenario = "latency in-process", Store = store.Name(), Size = OutcomeText.Invariant($"{samples:N0} runs") };
        var latencies = new List<double>();
        var counted = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.Run(SampleAsync).WaitAsync(budget);
        }
        catch (TimeoutException)
        {
            var unfinished = outcome with { Failure = OutcomeText.Invariant($"did not finish in {budget.TotalSeconds:0} s ({Volatile.Read(ref counted):N0} of {samples:N0} samples)"), PeakBytes = memory.Bytes(), PeakSource = memory.Source };
            await engine.AbandonAsync(TimeSpan.FromSeconds(15));
            return unfinished;
        }

        await engine.DisposeAsync();
        return Percentiles.Outcome(outcome, latencies, clock.Elapsed) with { PeakBytes = memory.Bytes(), PeakSource = memory.Source };

        async Task SampleAsync()
        {
            var warmUp = Math.Max(5, samples / 10);
            for (var i = 0; i < warmUp + samples; i++)
            {
                var runId = $"latency-{i}-{Guid.NewGuid():N}";
                var finished = engine.WhenFinished(runId);
                var sent = Stopwatch.GetTimestamp();
                await engine.Engine.StartRunAsync(plan, EngineUnderTest.NoParameters, "bench", runId);
                EngineUnderTest.Succeeded(await finished);
                if (i >= warmUp)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, starts[runId]).TotalMilliseconds);
                    Interlocked.Increment(ref counted);
                }
            }
        }
    }
}

using System.Diagnostics;

namespace Duraflow.Bench;

/// <summary>Whole runs of no-op blocks on one store: how many blocks (or runs) a second one worker process completes.</summary>
internal static class EngineThroughput
{
    /// <summary>One run of a sequential chain; blocks per second.</summary>
    public static async Task<Measurement> ChainAsync(EngineUnderTest engine, int blocks)
    {
        var clock = Stopwatch.StartNew();
        await engine.RunAsync(RunShapes.Chain(blocks));
        return new Measurement($"chain {blocks:N0}", blocks / clock.Elapsed.TotalSeconds, "blocks/s", clock.Elapsed);
    }

    /// <summary>One run of a fan-out/fan-in; blocks per second.</summary>
    public static async Task<Measurement> FanOutAsync(EngineUnderTest engine, int width)
    {
        var clock = Stopwatch.StartNew();
        await engine.RunAsync(RunShapes.FanOut(width));
        return new Measurement($"fan-out {width:N0}", (width + 2) / clock.Elapsed.TotalSeconds, "blocks/s", clock.Elapsed);
    }

    /// <summary>One run mapping a block over a list of <paramref name="items"/> read from an upstream block; blocks/s over its instances and the two around them.</summary>
    public static async Task<Measurement> MappedAsync(EngineUnderTest engine, int items)
    {
        engine.Blocks.MappedItems = items;
        var clock = Stopwatch.StartNew();
        await engine.RunAsync(RunShapes.Mapped(items));
        return new Measurement($"mapped {items:N0}", (items + 2) / clock.Elapsed.TotalSeconds, "blocks/s", clock.Elapsed);
    }

    /// <summary>Many runs of a short chain started at once; runs per second from the first start to the last end.</summary>
    public static async Task<Measurement> ConcurrentRunsAsync(EngineUnderTest engine, int runs, int blocksPerRun)
    {
        var plan = RunShapes.Chain(blocksPerRun, "hello");
        var ids = Enumerable.Range(0, runs).Select(i => $"hello-{i}-{Guid.NewGuid():N}").ToList();
        var finished = ids.Select(engine.WhenFinished).ToList();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, token) =>
            await engine.StartAsync(plan, id, token));
        foreach (var state in await Task.WhenAll(finished).WaitAsync(TimeSpan.FromMinutes(10)))
        {
            EngineUnderTest.Succeeded(state);
        }

        return new Measurement($"{runs:N0} runs x {blocksPerRun} blocks", runs / clock.Elapsed.TotalSeconds, "runs/s", clock.Elapsed);
    }

    /// <summary>One run of a wide, deep DAG; the time it takes.</summary>
    public static async Task<Measurement> DagAsync(EngineUnderTest engine, int width, int depth)
    {
        var clock = Stopwatch.StartNew();
        await engine.RunAsync(RunShapes.Dag(width, depth));
        return new Measurement($"DAG {width} x {depth}", width * depth / clock.Elapsed.TotalSeconds, "blocks/s", clock.Elapsed);
    }
}

/// <summary>One result: a rate and the wall time it was measured over.</summary>
internal sealed record Measurement(string Scenario, double Rate, string Unit, TimeSpan Elapsed);

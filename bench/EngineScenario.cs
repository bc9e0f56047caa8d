using System.Globalization;

namespace Duraflow.Bench;

/// <summary>
/// One whole-run scenario (chain, fan-out, concurrent runs, DAG) on one store at one size, within a time budget. A
/// warm-up run of the same shape at a tiny size goes first so JIT is not measured; a scenario still running when the
/// budget ends is reported as not finished, with how far it got, and the caller exits the process rather than wait.
/// </summary>
internal static class EngineScenario
{
    public static IReadOnlyList<string> Names { get; } = ["chain", "fanout", "mapped", "runs", "dag"];

    /// <summary>Blocks per run in the concurrent-runs scenario.</summary>
    public const int BlocksPerRun = 5;

    public static async Task<ScenarioOutcome> RunAsync(BenchStore store, string scenario, string size, TimeSpan budget)
    {
        var (width, depth) = ParseSize(scenario, size);
        var engine = await EngineUnderTest.StartAsync(store, BenchStoreNames.AzureConnection);
        await MeasureAsync(engine, scenario, Math.Min(width, 5), Math.Min(depth, 3));

        var started = 0;
        engine.Blocks.Started += (_, _) => Interlocked.Increment(ref started);

        // Work the host failed to process comes back after its lease; a count shows when a slow run is stalled on
        // that rather than busy.
        var failures = 0;
        string? firstFailure = null;
        engine.Host.WorkFailed += (_, failure) =>
        {
            Interlocked.Increment(ref failures);
            Interlocked.CompareExchange(ref firstFailure, $"{failure.Error.GetType().Name}: {failure.Error.Message}", null);
        };
        var before = engine.Transactions?.Total;
        var memory = PeakMemory.Reset();
        var blocks = Blocks(scenario, width, depth);
        var outcome = new ScenarioOutcome { Scenario = scenario, Store = store.Name(), Size = size };
        try
        {
            // On the thread pool, so the budget also covers any work done before the measurement's first await.
            var measured = await Task.Run(() => MeasureAsync(engine, scenario, width, depth)).WaitAsync(budget);
            outcome = outcome with
            {
                Value = scenario == "dag" ? measured.Elapsed.TotalSeconds : measured.Rate,
                Unit = scenario == "dag" ? "s" : measured.Unit,
                ElapsedSeconds = measured.Elapsed.TotalSeconds,
                MsPerBlock = measured.Elapsed.TotalMilliseconds / blocks,
                PeakBytes = memory.Bytes(),
                PeakSource = memory.Source,
                TransactionsPerBlock = engine.Transactions is { } t ? (double)(t.Total - before!.Value) / blocks : null,
            };
        }
        catch (TimeoutException)
        {
            // Stopping the engine could take as long as the work it is stuck in, so it gets a few seconds to stop
            // and its storage is deleted either way; the caller exits the process, which ends whatever is left.
            var unfinished = outcome with
            {
                Failure = string.Create(CultureInfo.InvariantCulture, $"did not finish in {budget.TotalSeconds:0} s ({Volatile.Read(ref started):N0} of {blocks:N0} blocks started)"),
                PeakBytes = memory.Bytes(),
                PeakSource = memory.Source,
                Note = failures == 0 ? null : OutcomeText.Invariant($"{failures} work item(s) failed and were retried after their lease; first: {firstFailure}"),
            };
            await engine.AbandonAsync(TimeSpan.FromSeconds(15));
            return unfinished;
        }

        await engine.DisposeAsync();
        return failures == 0 ? outcome : outcome with { Note = OutcomeText.Invariant($"{failures} work item(s) failed and were retried after their lease; first: {firstFailure}") };
    }

    /// <summary>"N" for chain, fan-out and runs; "WIDTHxDEPTH" (or N for a square) for the DAG.</summary>
    public static (int Width, int Depth) ParseSize(string scenario, string size)
    {
        if (!Names.Contains(scenario))
        {
            throw new ArgumentException($"unknown scenario '{scenario}' ({string.Join(", ", Names)})");
        }

        var parts = size.Replace(",", "", StringComparison.Ordinal).Split('x');
        var first = int.Parse(parts[0], CultureInfo.InvariantCulture);
        return scenario == "dag" && parts.Length == 1 ? ((int)Math.Sqrt(first), (int)Math.Sqrt(first))
            : (first, parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 1);
    }

    /// <summary>Blocks a scenario runs (for <c>runs</c>, over all its runs): what the time per block divides by.</summary>
    public static int Blocks(string scenario, int width, int depth) => scenario switch
    {
        "chain" => width,
        "fanout" or "mapped" => width + 2,
        "runs" => width * BlocksPerRun,
        _ => width * depth,
    };

    private static Task<Measurement> MeasureAsync(EngineUnderTest engine, string scenario, int width, int depth) => scenario switch
    {
        "chain" => EngineThroughput.ChainAsync(engine, width),
        "fanout" => EngineThroughput.FanOutAsync(engine, width),
        "mapped" => EngineThroughput.MappedAsync(engine, width),
        "runs" => EngineThroughput.ConcurrentRunsAsync(engine, width, BlocksPerRun),
        _ => EngineThroughput.DagAsync(engine, width, depth),
    };
}

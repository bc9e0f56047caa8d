namespace Duraflow.Bench;

/// <summary>
/// The issues' goals, at their sizes on 2 cores (smoke runs never judge one). SQLite FULL's throughput goals are ratios
/// to the floor of the same run (issue 19), since this machine's absolute rates vary about 2× from day to day: a time
/// per block of at most 2.5 commits for the chain, and of at most 1/1.2 of a commit for fan-out 10,000. The Azure
/// store's are finishing within the 300 s budget and a bound on storage transactions per block.
/// </summary>
internal static class Goals
{
    /// <summary>The goal of row <paramref name="o"/>, given its time per block over its store's floor time.</summary>
    public static (string Text, bool? Met) For(ScenarioOutcome o, double? floors)
    {
        (string Text, bool Met)? goal = o.Store switch
        {
            "sqlite-full" or "—" => SqliteFull(o, floors),
            "azurite" => Azure(o),
            _ => null,
        };
        return goal is { } g ? (g.Text, g.Met) : ("—", null);
    }

    private static (string, bool)? SqliteFull(ScenarioOutcome o, double? floors) => (o.Scenario, o.Size) switch
    {
        ("chain", "1000") => ("≤ 2.5 floors/block (≥ 0.4× the floor's rate)", floors <= 2.5),
        ("fanout", "10000") => ("≤ 0.83 floors/block (≥ 1.2× the floor's rate)", floors <= 1 / 1.2),
        ("fanout", "100000") => ("peak < 1 GiB", o.Value is not null && o.PeakBytes < 1L << 30),
        ("runs", "1000") => ("≥ 300 runs/s", o.Value >= 300),
        ("dag", "100x100") => ("< 10 s", o.Value < 10),
        ("dag validate", "100x100") => ("< 1 s", o.Value < 1),
        ("retention: list 50, start 100 runs", "100,000 finished runs") => ("≤ 120 %", o.Value <= 120),
        ("latency in-process", _) when Samples(o.Size) >= 100 => ("p50 ≤ 2 ms, p99 ≤ 10 ms", o.Value <= 2 && o.P99Ms <= 10),
        _ => null,
    };

    private static (string, bool)? Azure(ScenarioOutcome o) => (o.Scenario, o.Size) switch
    {
        ("chain", "1000") => ("≤ 4 transactions/block", o.TransactionsPerBlock <= 4),
        ("fanout", "10000") => ("< 300 s, ≤ 3 transactions/block", o.Value is not null && o.TransactionsPerBlock <= 3),
        ("runs", "1000") or ("dag", "100x100") => ("< 300 s", o.Value is not null),
        _ => null,
    };

    /// <summary>The sample count of a latency row ("200 runs"); fewer than 100 makes a p99 meaningless.</summary>
    private static int Samples(string size) => int.TryParse(size.Split(' ')[0], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
}

namespace Duraflow.Bench;

/// <summary>
/// The goals. They hold for SQLite FULL on 2 cores at the sizes, so other stores and other sizes
/// get no goal (and smoke runs never judge one).
/// </summary>
internal static class Goals
{
    public static (string Text, bool? Met) For(ScenarioOutcome o)
    {
        if (o.Store != BenchStore.SqliteFull.Name() && o.Store != "—")
        {
            return ("—", null);
        }

        (string Text, Func<double, double, bool> Check)? goal = (o.Scenario, o.Size) switch
        {
            ("chain", "1000") => ("≥ 1,000 blocks/s", (v, _) => v >= 1000),
            ("fanout", "10000") => ("≥ 5,000 blocks/s", (v, _) => v >= 5000),
            ("runs", "1000") => ("≥ 300 runs/s", (v, _) => v >= 300),
            ("dag", "100x100") => ("< 10 s", (v, _) => v < 10),
            ("dag validate", "100x100") => ("< 1 s", (v, _) => v < 1),
            ("retention: list 50, start 100 runs", "100,000 finished runs") => ("≤ 120 %", (v, _) => v <= 120),
            ("latency in-process", _) when Samples(o.Size) >= 100 => ("p50 ≤ 2 ms, p99 ≤ 10 ms", (p50, p99) => p50 <= 2 && p99 <= 10),
            _ => null,
        };
        if (goal is not { } g)
        {
            return ("—", null);
        }

        return (g.Text, o.Value is { } value ? g.Check(value, o.P99Ms ?? 0) : false);
    }

    /// <summary>The sample count of a latency row ("200 runs"); fewer than 100 makes a p99 meaningless.</summary>
    private static int Samples(string size) => int.TryParse(size.Split(' ')[0], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
}

namespace Duraflow.Bench;

/// <summary>p50 and p99 of latency samples, nearest-rank.</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static ScenarioOutcome Outcome(ScenarioOutcome outcome, IEnumerable<double> samplesMs, TimeSpan elapsed)
    {
        var sorted = samplesMs.Order().ToList();
        return outcome with
        {
            Value = Of(sorted, 50),
            P99Ms = Of(sorted, 99),
            Unit = "ms",
            ElapsedSeconds = elapsed.TotalSeconds,
            MsPerBlock = Of(sorted, 50),
        };
    }
}

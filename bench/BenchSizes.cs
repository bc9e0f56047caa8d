namespace Duraflow.Bench;

/// <summary>
/// The sizes <c>bench all</c> runs: the issue's, or tiny ones for CI's smoke run (which checks that every scenario
/// still works, never how fast).
/// </summary>
internal sealed record BenchSizes
{
    public required string Chain { get; init; }

    public required IReadOnlyList<string> FanOuts { get; init; }

    public required string Runs { get; init; }

    /// <summary>The mapped fan-out: a block mapped over a list of this many items read from its upstream block.</summary>
    public required string Mapped { get; init; }

    /// <summary>The fan-out whose peak memory must stay under 1 GiB (SQLite FULL only).</summary>
    public required string HugeFanOut { get; init; }

    public required string Dag { get; init; }

    /// <summary>The durable runtime's fan-out: the issue asks for 1,000 beside ours (10,000 would replay a 10,000-call history at every step).</summary>
    public required string DurableFanOut { get; init; }

    public required int InProcessSamples { get; init; }

    public required int HttpSamples { get; init; }

    public required int SqliteCommits { get; init; }

    public required int QueueRoundTrips { get; init; }

    public static BenchSizes Full { get; } = new()
    {
        Chain = "1000", FanOuts = ["100", "1000", "10000"], Runs = "1000", Mapped = "10000", HugeFanOut = "100000", Dag = "100x100", DurableFanOut = "1000",
        InProcessSamples = 200, HttpSamples = 100, SqliteCommits = 1000, QueueRoundTrips = 100,
    };

    public static BenchSizes Smoke { get; } = new()
    {
        Chain = "20", FanOuts = ["20"], Runs = "20", Mapped = "20", HugeFanOut = "50", Dag = "5x5", DurableFanOut = "20",
        InProcessSamples = 20, HttpSamples = 20, SqliteCommits = 50, QueueRoundTrips = 10,
    };
}

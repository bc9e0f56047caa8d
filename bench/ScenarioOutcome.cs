using System.Text.Json;

namespace Duraflow.Bench;

/// <summary>
/// What one scenario produced, as one row of the results table. A scenario runs in its own child process under
/// <c>bench all</c>, which prints this as one JSON line after <see cref="Marker"/> for the parent to collect.
/// </summary>
internal sealed record ScenarioOutcome
{
    public const string Marker = "##bench-outcome ";

    public required string Scenario { get; init; }

    public required string Store { get; init; }

    public required string Size { get; init; }

    /// <summary>The headline number (a rate, a time in seconds, or p50 ms) that the goal is checked against.</summary>
    public double? Value { get; init; }

    public string Unit { get; init; } = "";

    /// <summary>For latency: the 99th percentile in ms, next to the p50 in <see cref="Value"/>.</summary>
    public double? P99Ms { get; init; }

    public double? ElapsedSeconds { get; init; }

    /// <summary>Wall time per block (or per sample), for the ratio to the store's floor.</summary>
    public double? MsPerBlock { get; init; }

    /// <summary>Why there is no value: "did not finish in N s (...)" or the error.</summary>
    public string? Failure { get; init; }

    /// <summary>
    /// For a run that did not finish in its budget: its rate was below this (its size over its budget, in
    /// <see cref="Unit"/>), so a ratio over it is a lower bound.
    /// </summary>
    public double? RateBelow { get; init; }

    /// <summary>Anything the reader should know about this row, such as failed work items.</summary>
    public string? Note { get; init; }

    public long? PeakBytes { get; init; }

    public string? PeakSource { get; init; }

    /// <summary>Azure store only: table, queue and blob requests per block executed.</summary>
    public double? TransactionsPerBlock { get; init; }

    public string ToLine() => Marker + JsonSerializer.Serialize(this);

    public static ScenarioOutcome? FromLine(string line) =>
        line.StartsWith(Marker, StringComparison.Ordinal) ? JsonSerializer.Deserialize<ScenarioOutcome>(line[Marker.Length..]) : null;
}

using System.Globalization;

namespace Duraflow.Bench;

/// <summary>How an outcome's numbers read in the table and on the console.</summary>
internal static class OutcomeText
{
    public static string Result(ScenarioOutcome o) => o switch
    {
        { Failure: { } failure } => failure,
        { P99Ms: { } p99 } => Invariant($"p50 {o.Value:0.00} ms, p99 {p99:0.00} ms"),
        { Unit: "s" } => Invariant($"{o.Value:0.00} s"),
        _ => Invariant($"{o.Value:N0} {o.Unit} ({o.ElapsedSeconds:0.00} s)"),
    };

    public static string Memory(ScenarioOutcome o) => o.PeakBytes is { } bytes ? Invariant($"{bytes / (1024.0 * 1024):N0} MiB") : "—";

    public static string Transactions(ScenarioOutcome o) => o.TransactionsPerBlock is { } t ? Invariant($"{t:0.00}") : "—";

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

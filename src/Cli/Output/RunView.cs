using System.Globalization;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Cli.Output;

/// <summary>How a run's blocks are shown: one row per block (fan-out items summed up), in plan order.</summary>
internal static class RunView
{
    public static IReadOnlyList<string> Headers { get; } = ["block", "status", "attempt", "duration", "note"];

    public static IReadOnlyList<IReadOnlyList<string>> Rows(RunState state, IReadOnlyList<string> order, DateTimeOffset now) =>
    [
        .. order.Where(state.Blocks.ContainsKey).Select(name => (IReadOnlyList<string>)
        [
            name,
            state.Blocks[name].Status.ToSnakeCase(),
            state.Blocks[name].Attempt == 0 ? "" : state.Blocks[name].Attempt.ToString(CultureInfo.InvariantCulture),
            Durations.Between(state.Blocks[name].StartedAt, state.Blocks[name].EndedAt, now),
            Note(state.Blocks[name], now),
        ]),
    ];

    public static string Note(BlockRunState block, DateTimeOffset now) => block switch
    {
        { Status: BlockStatus.Retrying, RetryAt: { } at } => $"retry in {Durations.Short(at - now)}: {block.Error}",
        { Status: BlockStatus.Waiting, WaitingFor: WaitKinds.Repeat, WaitUntil: { } at } =>
            $"repeat: until false after {block.Repeats} run{(block.Repeats == 1 ? "" : "s")}, next in {Durations.Short(at - now)}",
        { Status: BlockStatus.Waiting, WaitingFor: WaitKinds.Pipeline, Child: { } child } => $"child run {child} since {Time(block.WaitingSince)}",
        { Status: BlockStatus.Waiting, Limit: { } limit } => $"limit '{limit}' at its bound since {Time(block.WaitingSince)}; asks again in {Durations.Short((block.WaitUntil ?? now) - now)}",
        { Status: BlockStatus.Waiting, Signal: { } signal, WaitingFor: { } what } =>
            $"{what} '{signal}' since {Time(block.WaitingSince)}" + (block.WaitUntil is { } timeout ? $", times out in {Durations.Short(timeout - now)}" : ""),
        { Status: BlockStatus.Waiting, WaitingFor: { } what, WaitUntil: { } at } =>
            $"{what}: ends in {Durations.Short(at - now)}, at {Time(at)}",
        { Status: BlockStatus.Cached, CachedFrom: { } from } => $"cached: output of run {from}",
        { Items: { } items } when block.Status != BlockStatus.Failed => $"{items} item{(items == 1 ? "" : "s")}",
        { Metrics: { } metrics } when block.Status.HasOutput() => Rows(metrics),
        _ => block.Error ?? "",
    };

    private static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z" : "?";

    /// <summary>The run's family: the run and block that started it, and the child runs its blocks started.</summary>
    public static IEnumerable<string> Family(RunState state) =>
        (state.Parent is { } parent ? [$"parent: run {parent.RunId}, block {parent.Key} (attempt {parent.Attempt})"] : Array.Empty<string>())
            .Concat(state.Blocks.Where(b => b.Value.Child is not null).OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"child: run {b.Value.Child} of block {b.Key}"));

    /// <summary>The signals a run received, one line each: who sent it when, and which block took it.</summary>
    public static IEnumerable<string> Signals(RunState state) => state.Signals.Select(s =>
        $"signal '{s.Name}' from {s.By} at {Time(s.At)}{(s.Key is { } key ? $" (key {key})" : "")}: {(s.TakenBy is { } taker ? $"taken by {taker}" : "kept for the next wait of its name")}");

    /// <summary>One alert's delivery: "alert failed → slack: delivered after 3 attempts (HTTP 200)".</summary>
    public static string Alert(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var what = AlertEvents.Name(alert.Event) + (alert.Block is { } block ? $" of {block}" : "");
        var how = alert.Status switch
        {
            AlertDeliveryStatus.Delivered => "delivered",
            AlertDeliveryStatus.Failed => "NOT delivered",
            _ => "being retried",
        };
        var tries = alert.Attempts == 1 ? "1 attempt" : $"{alert.Attempts} attempts";
        return $"alert {what} -> {AlertDestinations.Name(alert.Destination)}: {how} ({tries}, last at {Time(alert.At)}: {alert.Detail})";
    }

    /// <summary>The row counts a block measured, e.g. "1,204 rows written".</summary>
    private static string Rows(IReadOnlyDictionary<string, double> metrics) => string.Join(", ",
        new[] { ("rows_read", "read"), ("rows_returned", "returned"), ("rows_affected", "changed"), ("rows_written", "written") }
            .Where(m => metrics.ContainsKey(m.Item1) && !(m.Item1 == "rows_affected" && metrics[m.Item1] == 0))
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"{metrics[m.Item1]:N0} rows {m.Item2}")));

    public static string Summary(RunState state, DateTimeOffset now) =>
        $"run {state.RunId} {state.Status.ToSnakeCase()} in {Durations.Between(state.StartedAt ?? state.RequestedAt, state.EndedAt, now)}"
        + (state.Error is { } error && state.Status != RunStatus.Succeeded ? $": {error}" : "");
}

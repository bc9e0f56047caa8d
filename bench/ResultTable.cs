using System.Text;

namespace Duraflow.Bench;

/// <summary>
/// The markdown table of a <c>bench all</c> run. The ratio to floor divides a row's time per block by its store's
/// floor (one SQLite commit with the same synchronous setting, or one Azurite queue round trip) measured in the same
/// run; below it, our throughput over the Hangfire peer's for the shapes both ran.
/// </summary>
internal static class ResultTable
{
    public static string Render(IReadOnlyList<ScenarioOutcome> outcomes, IReadOnlyList<string> notes, bool smoke)
    {
        var floors = outcomes.Where(o => o.Scenario.StartsWith("floor:", StringComparison.Ordinal) && o.MsPerBlock is not null)
            .ToDictionary(o => o.Store, o => o.MsPerBlock!.Value, StringComparer.Ordinal);
        var text = new StringBuilder();
        text.AppendLine("| scenario | store | size | result | goal | met? | ratio to floor | peak memory | storage transactions/block |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var o in outcomes)
        {
            var (goal, met) = smoke ? ("—", null) : Goals.For(o);
            var ratio = !o.Scenario.StartsWith("floor:", StringComparison.Ordinal) && o.MsPerBlock is { } ms && floors.TryGetValue(BenchStoreNames.FloorOf(o.Store), out var floor)
                ? OutcomeText.Invariant($"{ms / floor:0.0}x") : "—";
            text.AppendLine(OutcomeText.Invariant(
                $"| {o.Scenario} | {o.Store} | {o.Size} | {OutcomeText.Result(o)} | {goal} | {(met is null ? "—" : met.Value ? "yes" : "**no**")} | {ratio} | {OutcomeText.Memory(o)} | {OutcomeText.Transactions(o)} |"));
        }

        AppendPeer(text, outcomes);
        AppendDurable(text, outcomes);
        var rowNotes = outcomes.Where(o => o.Note is not null).Select(o => $"{o.Scenario} {o.Size} on {o.Store}: {o.Note}");
        var allNotes = notes.Concat(rowNotes).ToList();
        if (smoke)
        {
            allNotes.Insert(0, "Smoke sizes: this run checks that every scenario works; its numbers judge nothing.");
        }

        if (allNotes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in allNotes)
            {
                text.AppendLine("- " + note);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The durable runtime beside bare Durable Task (its overhead: the decider and the run index) and beside ours
    /// (how much faster the duraflow runtime carries out the same run), for each shape and size it ran.
    /// </summary>
    private static void AppendDurable(StringBuilder text, IReadOnlyList<ScenarioOutcome> outcomes)
    {
        var durable = outcomes.Where(o => o.Store == BenchStore.Durable.Name()).ToList();
        if (durable.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("| shape | size | durable runtime | bare Durable Task | durable runtime / bare | ours, SQLite FULL / durable runtime | ours, Azurite / durable runtime |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var d in durable)
        {
            var bare = outcomes.FirstOrDefault(o => o.Store == DurablePeer.Store && o.Scenario == DurablePeer.ScenarioPrefix + d.Scenario && o.Size == d.Size);
            text.AppendLine(OutcomeText.Invariant(
                $"| {d.Scenario} | {d.Size} | {OutcomeText.Result(d)} | {(bare is null ? "—" : OutcomeText.Result(bare))} | {Ratio(d, bare)} | {Ratio(Ours(BenchStore.SqliteFull), d)} | {Ratio(Ours(BenchStore.Azurite), d)} |"));

            ScenarioOutcome? Ours(BenchStore store) => outcomes.FirstOrDefault(o => o.Scenario == d.Scenario && o.Size == d.Size && o.Store == store.Name());
        }

        static string Ratio(ScenarioOutcome? top, ScenarioOutcome? bottom) => (top, bottom) switch
        {
            (null, _) or (_, null) => "—",
            ({ Value: { } a }, { Value: { } b }) => OutcomeText.Invariant($"{a / b:N2}"),
            ({ Failure: not null }, _) => $"{top.Store} did not finish",
            _ => $"{bottom.Store} did not finish",
        };
    }

    private static void AppendPeer(StringBuilder text, IReadOnlyList<ScenarioOutcome> outcomes)
    {
        var peer = outcomes.Where(o => o.Store == "Hangfire.InMemory").ToList();
        if (peer.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("| shape | size | Hangfire blocks/s | ours / Hangfire, SQLite FULL | ours / Hangfire, SQLite NORMAL | ours / Hangfire, Azurite |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var p in peer)
        {
            var scenario = p.Scenario["Hangfire ".Length..];
            string Ratio(BenchStore store) =>
                (outcomes.FirstOrDefault(o => o.Scenario == scenario && o.Size == p.Size && o.Store == store.Name()), p.Value) switch
                {
                    ({ Value: { } ours }, { } theirs) => OutcomeText.Invariant($"{ours / theirs:0.00}"),
                    ({ Failure: not null }, _) => "ours did not finish",
                    _ => "—",
                };
            text.AppendLine(OutcomeText.Invariant(
                $"| {scenario} | {p.Size} | {(p.Value is { } v ? OutcomeText.Invariant($"{v:N0}") : OutcomeText.Result(p))} | {Ratio(BenchStore.SqliteFull)} | {Ratio(BenchStore.SqliteNormal)} | {Ratio(BenchStore.Azurite)} |"));
        }
    }
}

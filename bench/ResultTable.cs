using System.Text;

namespace Duraflow.Bench;

/// <summary>
/// The markdown table of a <c>bench all</c> run. The ratio to floor divides a row's time per block by its store's
/// floor (one SQLite commit with the same synchronous setting, or one Azurite queue round trip) measured in the same
/// run; below it, our throughput over each peer's (Hangfire, the durable runtime, bare Durable Task) for the shapes
/// both ran.
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
            double? perFloor = !o.Scenario.StartsWith("floor:", StringComparison.Ordinal) && o.MsPerBlock is { } ms && floors.TryGetValue(BenchStoreNames.FloorOf(o.Store), out var floor)
                ? ms / floor : null;
            var (goal, met) = smoke ? ("—", null) : Goals.For(o, perFloor);
            var ratio = perFloor is { } r ? OutcomeText.Invariant($"{r:0.00}x") : "—";
            text.AppendLine(OutcomeText.Invariant(
                $"| {o.Scenario} | {o.Store} | {o.Size} | {OutcomeText.Result(o)} | {goal} | {(met is null ? "—" : met.Value ? "yes" : "**no**")} | {ratio} | {OutcomeText.Memory(o)} | {OutcomeText.Transactions(o)} |"));
        }

        AppendPeer(text, outcomes);
        AppendDurable(text, outcomes);
        AppendBareDurable(text, outcomes);
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
            var bare = Find(outcomes, DurablePeer.ScenarioPrefix + d.Scenario, d.Size, DurablePeer.Store);
            text.AppendLine(OutcomeText.Invariant(
                $"| {d.Scenario} | {d.Size} | {OutcomeText.Result(d)} | {(bare is null ? "—" : OutcomeText.Result(bare))} | {Ratio(d, bare)} | {Ratio(Ours(BenchStore.SqliteFull), d)} | {Ratio(Ours(BenchStore.Azurite), d)} |"));

            ScenarioOutcome? Ours(BenchStore store) => Find(outcomes, d.Scenario, d.Size, store.Name());
        }
    }

    /// <summary>
    /// Ours over Hangfire for each shape and size Hangfire ran. PostgreSQL storage is durable, so it is compared with
    /// SQLite FULL; in-memory storage is not, so it is compared with FULL, NORMAL and the Azure store.
    /// </summary>
    private static void AppendPeer(StringBuilder text, IReadOnlyList<ScenarioOutcome> outcomes)
    {
        var shapes = Shapes(outcomes, HangfireShapes.ScenarioPrefix, HangfireShapes.MemoryStore, HangfireShapes.PostgresStore);
        if (shapes.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("| shape | size | Hangfire, PostgreSQL | Hangfire, in memory | ours, SQLite FULL / Hangfire, PostgreSQL | ours, SQLite FULL / Hangfire, in memory | ours, SQLite NORMAL / Hangfire, in memory | ours, Azurite / Hangfire, in memory |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (scenario, size) in shapes)
        {
            var postgres = Find(outcomes, HangfireShapes.ScenarioPrefix + scenario, size, HangfireShapes.PostgresStore);
            var memory = Find(outcomes, HangfireShapes.ScenarioPrefix + scenario, size, HangfireShapes.MemoryStore);
            text.AppendLine(OutcomeText.Invariant(
                $"| {scenario} | {size} | {Cell(postgres)} | {Cell(memory)} | {Ratio(Ours(BenchStore.SqliteFull), postgres)} | {Ratio(Ours(BenchStore.SqliteFull), memory)} | {Ratio(Ours(BenchStore.SqliteNormal), memory)} | {Ratio(Ours(BenchStore.Azurite), memory)} |"));

            ScenarioOutcome? Ours(BenchStore store) => Find(outcomes, scenario, size, store.Name());
        }
    }

    /// <summary>
    /// Ours over bare Durable Task for each shape and size it ran: the Azure store over Durable on the same Azurite,
    /// and SQLite over Durable with nothing stored.
    /// </summary>
    private static void AppendBareDurable(StringBuilder text, IReadOnlyList<ScenarioOutcome> outcomes)
    {
        var shapes = Shapes(outcomes, DurablePeer.ScenarioPrefix, DurablePeer.Store, DurablePeer.MemoryStore);
        if (shapes.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("| shape | size | bare Durable Task, Azurite | bare Durable Task, in memory | ours, Azurite / bare Durable, Azurite | ours, SQLite FULL / bare Durable, in memory | ours, SQLite NORMAL / bare Durable, in memory |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (scenario, size) in shapes)
        {
            var azurite = Find(outcomes, DurablePeer.ScenarioPrefix + scenario, size, DurablePeer.Store);
            var memory = Find(outcomes, DurablePeer.ScenarioPrefix + scenario, size, DurablePeer.MemoryStore);
            text.AppendLine(OutcomeText.Invariant(
                $"| {scenario} | {size} | {Cell(azurite)} | {Cell(memory)} | {Ratio(Ours(BenchStore.Azurite), azurite)} | {Ratio(Ours(BenchStore.SqliteFull), memory)} | {Ratio(Ours(BenchStore.SqliteNormal), memory)} |"));

            ScenarioOutcome? Ours(BenchStore store) => Find(outcomes, scenario, size, store.Name());
        }
    }

    /// <summary>The shapes and sizes a peer ran on any of <paramref name="stores"/>, in the order they ran.</summary>
    private static List<(string Scenario, string Size)> Shapes(IReadOnlyList<ScenarioOutcome> outcomes, string prefix, params string[] stores) =>
        outcomes.Where(o => stores.Contains(o.Store) && o.Scenario.StartsWith(prefix, StringComparison.Ordinal))
            .Select(o => (o.Scenario[prefix.Length..], o.Size)).Distinct().ToList();

    private static ScenarioOutcome? Find(IReadOnlyList<ScenarioOutcome> outcomes, string scenario, string size, string store) =>
        outcomes.FirstOrDefault(o => o.Scenario == scenario && o.Size == size && o.Store == store);

    private static string Cell(ScenarioOutcome? o) => o is null ? "—" : OutcomeText.Result(o);

    /// <summary>
    /// <paramref name="top"/>'s rate over <paramref name="bottom"/>'s, or which of them did not finish; over a peer that
    /// ran out of budget, a lower bound.
    /// </summary>
    private static string Ratio(ScenarioOutcome? top, ScenarioOutcome? bottom) => (top, bottom) switch
    {
        (null, _) or (_, null) => "—",
        ({ Value: { } a }, { Value: { } b }) => OutcomeText.Invariant($"{a / b:N2}"),
        ({ Value: { } a }, { RateBelow: { } b }) => OutcomeText.Invariant($"> {a / b:N2} ({bottom.Store} did not finish)"),
        ({ Failure: not null }, _) => $"{top.Store} did not finish",
        _ => $"{bottom.Store} did not finish",
    };
}

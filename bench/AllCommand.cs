namespace Duraflow.Bench;

/// <summary>
/// <c>bench all</c>: every whole-run scenario on SQLite FULL, SQLite NORMAL and Azurite, the durable runtime's chain,
/// fan-out and concurrent runs (task hub on Azurite) beside the same shapes as bare Durable Task orchestrations, the DAG's validate time,
/// trigger-to-first-block latency in process and through the HTTP API, the floors, and the peers (<see cref="PeerRows"/>:
/// Hangfire in memory and on PostgreSQL, bare Durable Task in memory), in one invocation; then one markdown table.
/// Scenarios run one after another, each in its own child process (<see cref="ScenarioProcess"/>); floors run in this
/// process.
/// </summary>
internal static class AllCommand
{
    // The durable runtime costs several queue round trips per block: 1,000 concurrent runs take about four minutes even
    // as bare Durable Task orchestrations here, so its rows get ten. One left unfinished would keep Azurite busy for the
    // rows after it. A smoke run gives it a minute, which covers starting the sidecar and worker on a slow machine.
    private static readonly TimeSpan DurableBudget = TimeSpan.FromSeconds(600);
    private static readonly TimeSpan DurableSmokeBudget = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(BenchOptions options, string command)
    {
        var sizes = options.Has("--smoke") ? BenchSizes.Smoke : BenchSizes.Full;
        var budget = TimeSpan.FromSeconds(options.Number("--timeout", BenchProgram.DefaultTimeoutSeconds));
        var outcomes = new List<ScenarioOutcome>();
        var notes = new List<string>();

        var stores = BenchStoreNames.All.ToList();
        if (await AzuriteProbe.ReachableAsync(BenchStoreNames.AzureConnection) is { } unreachable)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync("Azurite is unreachable and CI=true: " + unreachable);
                return 1;
            }

            stores.Remove(BenchStore.Azurite);
            notes.Add("Azurite was unreachable, so its rows are missing (start it with `scripts/services.sh start azurite`): " + unreachable);
        }

        if (await PeerRows.PrepareAsync(notes) is not { } peers)
        {
            return 1;
        }

        async Task Add(Func<Task<ScenarioOutcome>> measure)
        {
            var outcome = await measure();
            outcomes.Add(outcome);
            await Console.Error.WriteLineAsync($"  {outcome.Scenario} {outcome.Size} on {outcome.Store}: {OutcomeText.Result(outcome)}");
        }

        foreach (var store in stores)
        {
            if (store != BenchStore.Azurite)
            {
                await Add(() => Task.FromResult(SqliteCommitFloor.Measure(store, sizes.SqliteCommits)));
            }
            else
            {
                await Add(() => QueueRoundTrip.OutcomeAsync(BenchStoreNames.AzureConnection, sizes.QueueRoundTrips));
                await DurableRowsAsync(sizes, budget, Add);
            }

            foreach (var (scenario, size) in new[] { ("chain", sizes.Chain) }.Concat(sizes.FanOuts.Select(f => ("fanout", f))).Append(("runs", sizes.Runs)).Append(("dag", sizes.Dag)))
            {
                await Add(() => ScenarioProcess.RunAsync(
                    new ScenarioOutcome { Scenario = scenario, Store = store.Name(), Size = size }, budget,
                    "engine", "--store", store.Name(), "--scenario", scenario, "--size", size));
            }

            await Add(() => ScenarioProcess.RunAsync(
                new ScenarioOutcome { Scenario = "latency in-process", Store = store.Name(), Size = OutcomeText.Invariant($"{sizes.InProcessSamples:N0} runs") }, budget,
                "latency", "--via", "inproc", "--store", store.Name(), "--samples", sizes.InProcessSamples.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await Add(() => ScenarioProcess.RunAsync(
            new ScenarioOutcome { Scenario = "latency HTTP API", Store = BenchStore.SqliteFull.Name(), Size = OutcomeText.Invariant($"{sizes.HttpSamples:N0} runs") }, budget,
            "latency", "--via", "http", "--store", BenchStore.SqliteFull.Name(), "--samples", sizes.HttpSamples.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await Add(() => ScenarioProcess.RunAsync(
            new ScenarioOutcome { Scenario = "dag validate", Store = "—", Size = sizes.Dag }, budget, "dag-validate", "--size", sizes.Dag));

        await peers.AddAsync(sizes, budget, Add);

        var table = ResultTable.Render(outcomes, notes, sizes == BenchSizes.Smoke);
        Console.WriteLine(table);
        if (options.Has("--write"))
        {
            var file = PerformanceDoc.Write(table, command);
            await Console.Error.WriteLineAsync("wrote " + file);
        }

        return 0;
    }

    // Before the Azure store's scenarios: one that runs over its budget can leave Azurite busy for minutes, and the
    // durable runtime's task hub lives there too.
    private static async Task DurableRowsAsync(BenchSizes sizes, TimeSpan budget, Func<Func<Task<ScenarioOutcome>>, Task> add)
    {
        var durableBudget = Max(budget, sizes == BenchSizes.Smoke ? DurableSmokeBudget : DurableBudget);
        foreach (var (scenario, size) in new[] { ("chain", sizes.Chain), ("fanout", sizes.DurableFanOut), ("runs", sizes.Runs) })
        {
            await add(() => ScenarioProcess.RunAsync(
                new ScenarioOutcome { Scenario = scenario, Store = BenchStore.Durable.Name(), Size = size }, durableBudget,
                "engine", "--store", BenchStore.Durable.Name(), "--scenario", scenario, "--size", size));
            await add(() => ScenarioProcess.RunAsync(
                new ScenarioOutcome { Scenario = DurablePeer.ScenarioPrefix + scenario, Store = DurablePeer.Store, Size = size }, durableBudget,
                "durable-peer", "--scenario", scenario, "--size", size));
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

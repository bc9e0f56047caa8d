namespace Duraflow.Bench;

/// <summary>
/// <c>bench all</c>: every whole-run scenario on SQLite FULL, SQLite NORMAL and Azurite, the DAG's validate time,
/// trigger-to-first-block latency in process and through the HTTP API, the floors, and the Hangfire peer, in one
/// invocation; then one markdown table. Scenarios run one after another, each in its own child process
/// (<see cref="ScenarioProcess"/>); floors run in this process.
/// </summary>
internal static class AllCommand
{
    private static readonly TimeSpan PeerBudget = TimeSpan.FromSeconds(60);

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

        // The peer is the yardstick for the ratios, so it gets at least a minute: its 10,000-job fan-out takes longer
        // than the engine's default budget, and a missing reference would leave every ratio of that size empty.
        var peerBudget = budget > PeerBudget ? budget : PeerBudget;
        foreach (var (scenario, size) in new[] { ("chain", sizes.Chain) }.Concat(sizes.FanOuts.Select(f => ("fanout", f))))
        {
            await Add(() => ScenarioProcess.RunAsync(
                new ScenarioOutcome { Scenario = "Hangfire " + scenario, Store = "Hangfire.InMemory", Size = size }, peerBudget,
                "hangfire", "--scenario", scenario, "--size", size));
        }

        var table = ResultTable.Render(outcomes, notes, sizes == BenchSizes.Smoke);
        Console.WriteLine(table);
        if (options.Has("--write"))
        {
            var file = PerformanceDoc.Write(table, command);
            await Console.Error.WriteLineAsync("wrote " + file);
        }

        return 0;
    }
}

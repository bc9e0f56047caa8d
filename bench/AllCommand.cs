using System.Globalization;

namespace Duraflow.Bench;

/// <summary>
/// <c>bench all</c>: every whole-run scenario on SQLite FULL, SQLite NORMAL and Azurite, the durable runtime's chain,
/// fan-out and concurrent runs (task hub on Azurite) beside the same shapes as bare Durable Task orchestrations, the DAG's validate time,
/// trigger-to-first-block latency in process and through the HTTP API, the floors, and the peers (<see cref="PeerRows"/>:
/// Hangfire in memory and on PostgreSQL, bare Durable Task in memory), in one invocation; then one markdown table (and with <c>--write</c>, the table and its chart in docs/). Scenarios run one
/// after another, each in its own child process (<see cref="ScenarioProcess"/>) once the machine is idle
/// (<see cref="IdleCheck"/>); floors run in this process. The Azure rows run together, on an Azurite the harness
/// starts right before them and stops right after them (<see cref="BenchAzurite"/>), unless DURAFLOW_BENCH_AZURE
/// names an account.
/// </summary>
internal sealed class AllCommand
{
    // Issue 19's budget for the Azure store's rows on on-disk Azurite (fan-out 10,000, the 100 x 100 DAG, 1,000 runs).
    private static readonly TimeSpan AzureBudget = TimeSpan.FromSeconds(300);

    // The 100,000-block fan-out measures peak memory; at SQLite FULL's rate it needs about a minute, more on a slow day.
    private static readonly TimeSpan HugeFanOutBudget = TimeSpan.FromSeconds(300);

    // The durable runtime costs several queue round trips per block: 1,000 concurrent runs take about four minutes even
    // as bare Durable Task orchestrations here, so its rows get ten. One left unfinished would keep Azurite busy for the
    // rows after it. A smoke run gives it a minute, which covers starting the sidecar and worker on a slow machine.
    private static readonly TimeSpan DurableBudget = TimeSpan.FromSeconds(600);
    private static readonly TimeSpan DurableSmokeBudget = TimeSpan.FromSeconds(60);

    // How long a scenario waits for an idle machine before it runs anyway. A smoke run judges nothing, so it waits less.
    private static readonly TimeSpan IdleCap = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdleSmokeCap = TimeSpan.FromSeconds(5);

    private readonly BenchSizes _sizes;
    private readonly TimeSpan _budget;
    private readonly TimeSpan _idleCap;
    private readonly List<ScenarioOutcome> _outcomes = [];
    private readonly List<string> _notes = [];

    private AllCommand(bool smoke, TimeSpan budget)
    {
        _sizes = smoke ? BenchSizes.Smoke : BenchSizes.Full;
        _budget = budget;
        _idleCap = smoke ? IdleSmokeCap : IdleCap;
    }

    private static bool Ci => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static async Task<int> RunAsync(BenchOptions options, string command)
    {
        var run = new AllCommand(options.Has("--smoke"), TimeSpan.FromSeconds(options.Number("--timeout", BenchProgram.DefaultTimeoutSeconds)));
        if (!await run.MeasureAsync())
        {
            return 1;
        }

        var smoke = run._sizes == BenchSizes.Smoke;
        var table = ResultTable.Render(run._outcomes, run._notes, smoke);
        Console.WriteLine(table);
        if (options.Has("--write"))
        {
            var written = DateTime.UtcNow;
            var file = PerformanceDoc.Write(table, command, written);
            var chart = Path.Combine(Path.GetDirectoryName(file)!, PerformanceChart.FileName);
            await File.WriteAllTextAsync(chart, PerformanceChart.Render(run._outcomes, written, smoke));
            await Console.Error.WriteLineAsync($"wrote {file} and {chart}");
        }

        return 0;
    }

    /// <summary>Every row, in the table's order; false when CI=true and the Azure rows had no account to run on.</summary>
    private async Task<bool> MeasureAsync()
    {
        if (await PeerRows.PrepareAsync(_notes) is not { } peers)
        {
            return false;
        }

        if (Environment.GetEnvironmentVariable("DURAFLOW_BENCH_AZURE") is null && await AzuriteProbe.ReachableAsync("UseDevelopmentStorage=true") is null)
        {
            _notes.Add("An Azurite the bench did not start answered on 127.0.0.1:10000 (the tests' or another checkout's) and may have run "
                + "beside every row; the Azure rows used the bench's own Azurite on other ports, not that one.");
        }

        foreach (var store in new[] { BenchStore.SqliteFull, BenchStore.SqliteNormal })
        {
            await AddAsync(() => Task.FromResult(SqliteCommitFloor.Measure(store, _sizes.SqliteCommits)));
            await EngineRowsAsync(store, null);
        }

        if (!await AzureRowsAsync())
        {
            return false;
        }

        await AddAsync(() => ScenarioProcess.RunAsync(
            new ScenarioOutcome { Scenario = "latency HTTP API", Store = BenchStore.SqliteFull.Name(), Size = OutcomeText.Invariant($"{_sizes.HttpSamples:N0} runs") }, _budget,
            ["latency", "--via", "http", "--store", BenchStore.SqliteFull.Name(), "--samples", _sizes.HttpSamples.ToString(CultureInfo.InvariantCulture)]));
        await AddAsync(() => ScenarioProcess.RunAsync(
            new ScenarioOutcome { Scenario = "dag validate", Store = "—", Size = _sizes.Dag }, _budget, ["dag-validate", "--size", _sizes.Dag]));
        await AddAsync(() => RetentionScenario.InChildAsync(_sizes == BenchSizes.Smoke, _budget));

        await peers.AddAsync(_sizes, _budget, AddAsync);
        return true;
    }

    /// <summary>
    /// The queue floor, the durable runtime beside bare Durable Task, and the Azure store's rows, on an Azurite started
    /// for them and stopped after them (or on DURAFLOW_BENCH_AZURE's account). False when CI=true and there was none:
    /// CI must not pass without the Azure rows; elsewhere they are left out with a note.
    /// </summary>
    private async Task<bool> AzureRowsAsync()
    {
        BenchAzurite? azurite = null;
        string? connection = Environment.GetEnvironmentVariable("DURAFLOW_BENCH_AZURE");
        string? problem;
        if (connection is not null)
        {
            problem = await AzuriteProbe.ReachableAsync(connection);
            _notes.Add("The Azure rows ran on the account DURAFLOW_BENCH_AZURE names, which the bench neither started nor stopped.");
        }
        else
        {
            try
            {
                await Console.Error.WriteLineAsync("  starting Azurite (on disk) for the Azure rows");
                azurite = await BenchAzurite.StartAsync();
                connection = azurite.Connection;
                problem = null;
            }
            catch (InvalidOperationException e)
            {
                problem = e.Message;
            }
        }

        if (problem is not null)
        {
            if (Ci)
            {
                await Console.Error.WriteLineAsync("No Azure Storage for the Azure rows and CI=true: " + problem);
                return false;
            }

            _notes.Add("The Azure rows are missing, as Azure Storage could not be had: " + problem);
            return true;
        }

        try
        {
            await AddAsync(() => QueueRoundTrip.OutcomeAsync(connection!, _sizes.QueueRoundTrips));

            // Before the Azure store's scenarios: one that runs over its budget can leave Azurite busy for minutes,
            // and the durable runtime's task hub lives there too.
            var durableBudget = Max(_budget, _sizes == BenchSizes.Smoke ? DurableSmokeBudget : DurableBudget);
            foreach (var (scenario, size) in new[] { ("chain", _sizes.Chain), ("fanout", _sizes.DurableFanOut), ("runs", _sizes.Runs) })
            {
                await AddAsync(() => ScenarioProcess.RunAsync(
                    new ScenarioOutcome { Scenario = scenario, Store = BenchStore.Durable.Name(), Size = size }, durableBudget,
                    ["engine", "--store", BenchStore.Durable.Name(), "--scenario", scenario, "--size", size], connection));
                await AddAsync(() => ScenarioProcess.RunAsync(
                    new ScenarioOutcome { Scenario = DurablePeer.ScenarioPrefix + scenario, Store = DurablePeer.Store, Size = size }, durableBudget,
                    ["durable-peer", "--scenario", scenario, "--size", size], connection));
            }

            await EngineRowsAsync(BenchStore.Azurite, connection);
        }
        finally
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
                await Console.Error.WriteLineAsync("  stopped Azurite");
            }
        }

        return true;
    }

    /// <summary>The whole-run scenarios and in-process latency on one of the engine's stores.</summary>
    private async Task EngineRowsAsync(BenchStore store, string? azureConnection)
    {
        var rows = new[] { ("chain", _sizes.Chain) }.Concat(_sizes.FanOuts.Select(f => ("fanout", f))).ToList();
        if (store != BenchStore.Azurite)
        {
            // The fan-out read from data (a block mapped over its upstream's list), on the embedded store.
            rows.Add(("mapped", _sizes.Mapped));
        }

        var budget = store == BenchStore.Azurite ? Max(_budget, AzureBudget) : _budget;
        foreach (var (scenario, size) in rows.Append(("runs", _sizes.Runs)).Append(("dag", _sizes.Dag)))
        {
            await AddAsync(() => ScenarioProcess.RunAsync(
                new ScenarioOutcome { Scenario = scenario, Store = store.Name(), Size = size }, budget,
                ["engine", "--store", store.Name(), "--scenario", scenario, "--size", size], azureConnection));
        }

        if (store == BenchStore.SqliteFull)
        {
            await AddAsync(() => ScenarioProcess.RunAsync(
                new ScenarioOutcome { Scenario = "fanout", Store = store.Name(), Size = _sizes.HugeFanOut }, Max(_budget, HugeFanOutBudget),
                ["engine", "--store", store.Name(), "--scenario", "fanout", "--size", _sizes.HugeFanOut]));
        }

        await AddAsync(() => ScenarioProcess.RunAsync(
            new ScenarioOutcome { Scenario = "latency in-process", Store = store.Name(), Size = OutcomeText.Invariant($"{_sizes.InProcessSamples:N0} runs") }, _budget,
            ["latency", "--via", "inproc", "--store", store.Name(), "--samples", _sizes.InProcessSamples.ToString(CultureInfo.InvariantCulture)], azureConnection));
    }

    /// <summary>Measures one row once the machine is idle, or once the wait is over, noting then how busy it was.</summary>
    private async Task AddAsync(Func<Task<ScenarioOutcome>> measure)
    {
        var busy = await IdleCheck.WaitAsync(_idleCap);
        var outcome = await measure();
        _outcomes.Add(outcome);
        if (busy is not null)
        {
            _notes.Add($"{outcome.Scenario} {outcome.Size} on {outcome.Store} started on a busy machine: {busy}.");
        }

        await Console.Error.WriteLineAsync($"  {outcome.Scenario} {outcome.Size} on {outcome.Store}: {OutcomeText.Result(outcome)}{(busy is null ? "" : " (started busy: " + busy + ")")}");
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

using System.Globalization;

namespace Duraflow.Bench;

/// <summary>Entry point: picks a scenario and its size from the command line.</summary>
internal static class BenchProgram
{
    private const string Usage = """
        usage: bench all [--smoke] [--write] [--timeout S]            every scenario, floors and the Hangfire peer; one table (--write: and its
                                                                     chart, into docs/); starts its own Azurite around the Azure rows only
               bench engine [--store sqlite-full|sqlite-normal|azurite|durable] [--scenario chain|fanout|runs|dag] [--size N|WxD] [--timeout S]
                                                                     one whole-run scenario (defaults: sqlite-full, chain, the issue's size, 20 s);
                                                                     durable: the durable runtime, task hub on Azurite, run index on SQLite FULL;
                                                                     azurite, durable, durable-peer, azure-chain: on a running Azurite
                                                                     (scripts/services.sh start azurite) or DURAFLOW_BENCH_AZURE
               bench latency [--via inproc|http] [--store S] [--samples N] [--timeout S]   trigger to first block, p50/p99 (default inproc, 200)
               bench hangfire [--store memory|postgres] [--scenario chain|fanout|runs] [--size N] [--timeout S]
                                                                     the Hangfire peer on one shape: Hangfire.InMemory (default), or
                                                                     Hangfire.PostgreSql in a child process (DURAFLOW_BENCH_POSTGRES)
               bench durable-peer [--store azurite|memory] [--scenario chain|fanout|runs] [--size N] [--timeout S]
                                                                     the same shapes as bare Durable Task orchestrations (default azurite, chain, 1,000)
               bench dag-validate [--size WxD]                       validate time of the generated DAG in a fresh process
               bench retention [--runs N] [--timeout S]              a SQLite FULL store with N finished runs (default 100,000) against an empty one:
                                                                     list the newest 50 and start 100 five-block runs (default timeout 600 s)
               bench micro [BenchmarkDotNet arguments]               micro benchmarks of engine parts (not part of all)
               bench validate [--width N] [--depth N] [--repeat N]   (default 100 x 100 = 10,000 blocks, 5 repeats)
               bench tables [--rows N]                               (default 5,000,000 rows)
               bench cache [--blocks N] [--rounds N]                 N cached script blocks (default 100) run on an empty cache, again identical,
                                                                     and with one block changed; each hashes 1 MiB --rounds times (default 20)
               bench azure-chain [--blocks N]                        (default 200 blocks; Azurite or DURAFLOW_BENCH_AZURE)
               bench queue-floor [--waiting N,N] [--round-trips N]   queue round trip with N messages already waiting (default 0,1000,10000; 200)
               bench dashboard [--items N] [--runs N] [--pages N] [--chromium PATH]
                                                                     the run page of a fan-out of N items (default 1,000) drawn in Chromium, and the
                                                                     runs page paged through a store of N finished runs (default 10,000, 200 pages)
               bench timers [--store S] [--runs N] [--timeout S]     retry.delay [1s, 2s, 3s] and wait.for 2s in N runs at once (default sqlite-full, 20):
                                                                     due times against the list, how late each timer took effect and the next block started
        """;

    /// <summary>Time one scenario may take before it is reported as not finished.</summary>
    public const int DefaultTimeoutSeconds = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault() == "micro")
        {
            return MicroCommand.Run([.. args.Skip(1)]);
        }

        var options = new BenchOptions(args.Skip(1));
        switch (args.FirstOrDefault())
        {
            case "all":
                return await AllCommand.RunAsync(options, "dotnet run -c Release --project bench -- " + string.Join(' ', args));
            case "engine":
                return await EngineCommand(options);
            case "latency":
                return Print(options.Text("--via", "inproc") == "http"
                    ? await HttpLatency.RunAsync(options.Number("--samples", 100), Timeout(options))
                    : await InProcessLatency.RunAsync(BenchStoreNames.Parse(options.Text("--store", "sqlite-full")), options.Number("--samples", 200), Timeout(options)), options.Has("--json"));
            case "hangfire":
                var shape = options.Text("--scenario", "chain");
                return Print(await HangfirePeer.RunAsync(options.Text("--store", "memory"), shape, options.Number("--size", int.Parse(DefaultSize(shape), CultureInfo.InvariantCulture)), Timeout(options)), options.Has("--json"));
            case "durable-peer":
                return Print(await DurablePeer.RunAsync(options.Text("--store", "azurite"), options.Text("--scenario", "chain"), options.Number("--size", 1000), Timeout(options)), options.Has("--json"));
            case "retention":
                return Print(await RetentionScenario.RunAsync(
                    options.Number("--runs", RetentionScenario.FullSize), TimeSpan.FromSeconds(options.Number("--timeout", 600))), options.Has("--json"));
            case "dag-validate":
                return Print(DagValidation.Run(options.Text("--size", "100x100")), options.Has("--json"));
            case "validate":
                Console.Write(new ValidateScenario(
                    options.Number("--width", 100),
                    options.Number("--depth", 100),
                    options.Number("--repeat", 5)).Run());
                return 0;
            case "tables":
                Console.Write(new TablesScenario(options.Number("--rows", 5_000_000)).Run());
                return 0;
            case "cache":
                Console.Write(await new CacheScenario(options.Number("--blocks", 100), options.Number("--rounds", 20)).RunAsync());
                return 0;
            case "timers":
                return Print(await TimerAccuracy.RunAsync(
                    BenchStoreNames.Parse(options.Text("--store", "sqlite-full")), options.Number("--runs", 20), TimeSpan.FromSeconds(options.Number("--timeout", 120))), options.Has("--json"));
            case "dashboard":
                Console.Write(await new DashboardScenario(
                    options.Number("--items", 1000), options.Number("--runs", 10_000), options.Number("--pages", 200),
                    options.Text("--chromium", Environment.GetEnvironmentVariable("DURAFLOW_TEST_CHROMIUM") ?? "/usr/bin/chromium")).RunAsync());
                return 0;
            case "queue-floor":
                await QueueRoundTrip.PrintByWaitingAsync(
                    BenchStoreNames.AzureConnection, options.Number("--round-trips", 200),
                    options.Text("--waiting", "0,1000,10000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)));
                return 0;
            case "azure-chain":
                Console.Write(new AzureChainScenario(options.Number("--blocks", 200), BenchStoreNames.AzureConnection).Run());
                return 0;
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    /// <summary>The issue's size of each whole-run scenario.</summary>
    public static string DefaultSize(string scenario) => scenario switch
    {
        "chain" => "1000",
        "fanout" => "10000",
        "runs" => "1000",
        _ => "100x100",
    };

    private static async Task<int> EngineCommand(BenchOptions options)
    {
        var scenario = options.Text("--scenario", "chain");
        var outcome = await EngineScenario.RunAsync(
            BenchStoreNames.Parse(options.Text("--store", "sqlite-full")),
            scenario,
            options.Text("--size", DefaultSize(scenario)),
            Timeout(options));
        return Print(outcome, options.Has("--json"));
    }

    private static TimeSpan Timeout(BenchOptions options) => TimeSpan.FromSeconds(options.Number("--timeout", DefaultTimeoutSeconds));

    /// <summary>Prints the outcome (and its JSON line for a parent <c>bench all</c>); exit code 3 when it did not finish.</summary>
    private static int Print(ScenarioOutcome o, bool json)
    {
        Console.WriteLine(OutcomeText.Invariant(
            $"{o.Scenario} {o.Size} on {o.Store}: {OutcomeText.Result(o)}; {o.MsPerBlock?.ToString("0.000", CultureInfo.InvariantCulture) ?? "—"} ms/block; peak {OutcomeText.Memory(o)} ({o.PeakSource}); storage transactions/block {OutcomeText.Transactions(o)}"));
        if (o.Note is not null)
        {
            Console.WriteLine("  note: " + o.Note);
        }

        if (json)
        {
            Console.WriteLine(o.ToLine());
        }

        return o.Failure is null ? 0 : 3;
    }
}

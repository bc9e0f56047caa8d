using System.Globalization;

namespace Duraflow.Bench;

/// <summary>Entry point: picks a scenario and its size from the command line.</summary>
internal static class BenchProgram
{
    private const string Usage = """
        usage: bench all [--smoke] [--write] [--timeout S]            every scenario, floors and the Hangfire peer; one table
               bench engine [--store sqlite-full|sqlite-normal|azurite] [--scenario chain|fanout|runs|dag] [--size N|WxD] [--timeout S]
                                                                     one whole-run scenario (defaults: sqlite-full, chain, the issue's size, 20 s)
               bench validate [--width N] [--depth N] [--repeat N]   (default 100 x 100 = 10,000 blocks, 5 repeats)
               bench tables [--rows N]                               (default 5,000,000 rows)
               bench azure-chain [--blocks N]                        (default 200 blocks; Azurite or DURAFLOW_BENCH_AZURE)
        """;

    /// <summary>Time one scenario may take before it is reported as not finished.</summary>
    public const int DefaultTimeoutSeconds = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchOptions(args.Skip(1));
        switch (args.FirstOrDefault())
        {
            case "engine":
                return await EngineCommand(options);
            case "validate":
                Console.Write(new ValidateScenario(
                    options.Number("--width", 100),
                    options.Number("--depth", 100),
                    options.Number("--repeat", 5)).Run());
                return 0;
            case "tables":
                Console.Write(new TablesScenario(options.Number("--rows", 5_000_000)).Run());
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
            TimeSpan.FromSeconds(options.Number("--timeout", DefaultTimeoutSeconds)));
        Print(outcome, options.Has("--json"));
        return outcome.Failure is null ? 0 : 3;
    }

    private static void Print(ScenarioOutcome o, bool json)
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
    }
}

using System.Globalization;

namespace Duraflow.Bench;

/// <summary>Entry point: picks a scenario and its size from the command line.</summary>
internal static class BenchProgram
{
    private const string Usage = """
        usage: bench validate [--width N] [--depth N] [--repeat N]   (default 100 x 100 = 10,000 blocks, 5 repeats)
               bench tables [--rows N]                               (default 5,000,000 rows)
               bench azure-chain [--blocks N]                        (default 200 blocks; Azurite or DURAFLOW_BENCH_AZURE)
        """;

    public static int Run(string[] args)
    {
        var options = args.Skip(1).Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        switch (args.FirstOrDefault())
        {
            case "validate":
                Console.Write(new ValidateScenario(
                    options.GetValueOrDefault("--width", 100),
                    options.GetValueOrDefault("--depth", 100),
                    options.GetValueOrDefault("--repeat", 5)).Run());
                return 0;
            case "tables":
                Console.Write(new TablesScenario(options.GetValueOrDefault("--rows", 5_000_000)).Run());
                return 0;
            case "azure-chain":
                Console.Write(new AzureChainScenario(
                    options.GetValueOrDefault("--blocks", 200),
                    Environment.GetEnvironmentVariable("DURAFLOW_BENCH_AZURE") ?? "UseDevelopmentStorage=true").Run());
                return 0;
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }
}

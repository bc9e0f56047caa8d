using System.Globalization;

namespace Duraflow.Bench;

/// <summary>Entry point: picks a scenario and its size from the command line.</summary>
internal static class BenchProgram
{
    private const string Usage = "usage: bench validate [--width N] [--depth N] [--repeat N]   (default 100 x 100 = 10,000 blocks, 5 repeats)";

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] != "validate")
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var options = args.Skip(1).Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        var scenario = new ValidateScenario(
            options.GetValueOrDefault("--width", 100),
            options.GetValueOrDefault("--depth", 100),
            options.GetValueOrDefault("--repeat", 5));
        Console.Write(scenario.Run());
        return 0;
    }
}

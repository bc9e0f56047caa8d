using System.Diagnostics;
using System.Globalization;
using System.Text;
using Duraflow.Engine.Validation;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Bench;

/// <summary>
/// Times validation of a generated pipeline three ways: in process (first call, with JIT, and the median of warm
/// calls), as the floor of merely parsing the same YAML, and end to end as a user runs <c>duraflow validate</c>.
/// </summary>
internal sealed class ValidateScenario(int width, int depth, int repeat)
{
    public string Run()
    {
        var folder = Path.Combine(Path.GetTempPath(), "duraflow-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var file = LargePipeline.Write(folder, width, depth);
            var blocks = width * depth;
            var first = Time(() => Check(file, blocks));
            var warm = Median(repeat, () => Check(file, blocks));
            var parse = Median(repeat, () => new YamlStream().Load(new StringReader(File.ReadAllText(file))));
            var cli = Median(Math.Min(repeat, 3), () => RunCli(file));
            return Report(blocks, new FileInfo(file).Length, first, warm, parse, cli);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Check(string file, int expectedBlocks)
    {
        var result = PipelineValidator.Validate(file);
        if (!result.IsValid || result.Graph!.TopologicalOrder.Count != expectedBlocks)
        {
            throw new InvalidOperationException("the generated pipeline did not validate: " + string.Join("; ", result.Diagnostics.Take(3)));
        }
    }

    private static void RunCli(string file)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "duraflow.dll"));
        start.ArgumentList.Add("validate");
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"duraflow validate exited {process.ExitCode}: {process.StandardError.ReadToEnd()}");
        }
    }

    private static TimeSpan Time(Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        action();
        return stopwatch.Elapsed;
    }

    private static TimeSpan Median(int count, Action action)
    {
        var times = Enumerable.Range(0, count).Select(_ => Time(action)).Order().ToList();
        return times[times.Count / 2];
    }

    private string Report(int blocks, long bytes, TimeSpan first, TimeSpan warm, TimeSpan parse, TimeSpan cli)
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"validate: {blocks:N0} blocks ({width} wide x {depth} deep), {bytes / 1024:N0} KiB of YAML, median of {repeat}");
        text.AppendLine();
        text.AppendLine("| measurement | time | ratio to YAML parse |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| YAML parse only (floor) | {Ms(parse)} | 1.0x |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| load + validate + graph, warm | {Ms(warm)} | {warm / parse:0.0}x |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| load + validate + graph, first call (JIT) | {Ms(first)} | {first / parse:0.0}x |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| `duraflow validate` process, end to end | {Ms(cli)} | {cli / parse:0.0}x |");
        return text.ToString();
    }
}

using System.Diagnostics;

namespace Duraflow.Bench;

/// <summary>
/// Runs one scenario as a child process of this harness (<c>bench &lt;command&gt; ... --json</c>). A child per
/// scenario gives each a fresh runtime, a peak memory of its own, and a clean way out when it runs over its budget:
/// the child gives up at the budget and exits, and if it cannot, it is killed a grace period later so it cannot hang
/// the whole run or keep using the CPU during the next scenario.
/// </summary>
internal static class ScenarioProcess
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(45);

    /// <summary>Runs <c>bench <paramref name="args"/></c>; <paramref name="azureConnection"/>, when given, reaches the child as DURAFLOW_BENCH_AZURE.</summary>
    public static Task<ScenarioOutcome> RunAsync(ScenarioOutcome describe, TimeSpan budget, IReadOnlyList<string> args, string? azureConnection = null) =>
        RunProgramAsync(Path.Combine(AppContext.BaseDirectory, "Duraflow.Bench.dll"), describe, budget, args, azureConnection);

    /// <summary>
    /// Runs <paramref name="program"/> (a .NET assembly that takes <c>--timeout S --json</c> and prints its outcome line
    /// as this harness does) as the child: the harness itself, or a peer that cannot share its process.
    /// </summary>
    public static async Task<ScenarioOutcome> RunProgramAsync(
        string program, ScenarioOutcome describe, TimeSpan budget, IReadOnlyList<string> args, string? azureConnection = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (azureConnection is not null)
        {
            start.Environment["DURAFLOW_BENCH_AZURE"] = azureConnection;
        }

        start.ArgumentList.Add(program);
        foreach (var arg in args.Concat(["--timeout", budget.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json"]))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(budget + Grace);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            return describe with { Failure = OutcomeText.Invariant($"did not finish in {budget.TotalSeconds:0} s (killed after {(budget + Grace).TotalSeconds:0} s)") };
        }

        var lines = (await stdout).Split('\n');
        if (lines.Select(ScenarioOutcome.FromLine).LastOrDefault(o => o is not null) is { } outcome)
        {
            return outcome;
        }

        var error = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal))
            ?? $"exit code {process.ExitCode}";
        return describe with { Failure = "failed: " + error.Trim() };
    }
}

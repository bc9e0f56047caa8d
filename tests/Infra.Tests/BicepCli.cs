using System.Diagnostics;
using System.Reflection;

namespace Duraflow.Infra.Tests;

/// <summary>Runs the Bicep CLI the build used.</summary>
internal static class BicepCli
{
    public static string Path { get; } = typeof(BicepCli).Assembly.GetCustomAttribute<BicepCliAttribute>()!.Path;

    /// <summary>Runs <c>bicep</c> with <paramref name="arguments"/>; returns the exit code and both outputs.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, (await output) + (await errors));
    }
}

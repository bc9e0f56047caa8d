using System.Diagnostics;

namespace Duraflow.Cli.Tests;

/// <summary>Runs the built duraflow.dll as a child process, with redirected output as in a script.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
    }

    public static async Task<Result> RunAsync(string workingDirectory, params string[] args) =>
        await RunAsync(workingDirectory, TimeSpan.FromSeconds(60), args);

    public static async Task<Result> RunAsync(string workingDirectory, TimeSpan limit, params string[] args) =>
        await RunAsync(workingDirectory, new Dictionary<string, string>(), limit, args);

    /// <summary>Runs duraflow with <paramref name="environment"/> added to its environment variables.</summary>
    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        await RunAsync(workingDirectory, environment, TimeSpan.FromSeconds(60), args);

    private static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan limit, string[] args)
    {
        var start = StartInfo(workingDirectory, args);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(limit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, (await output).ReplaceLineEndings("\n"), (await error).ReplaceLineEndings("\n"));
    }

    /// <summary>Starts duraflow in the background, its output discarded, so a test can kill it.</summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        var process = Process.Start(StartInfo(workingDirectory, args))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Starts duraflow in the background, collecting its stdout and stderr lines into <paramref name="lines"/>.</summary>
    public static Process Start(string workingDirectory, System.Collections.Concurrent.ConcurrentQueue<string> lines, params string[] args)
    {
        var process = Process.Start(StartInfo(workingDirectory, args))!;
        process.OutputDataReceived += (_, e) => Collect(lines, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(lines, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Collect(System.Collections.Concurrent.ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    /// <summary>How every test starts duraflow: the built duraflow.dll, without colour, and with no profile selected.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "duraflow.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";

        // A profile selected in the developer's shell must not change what the tests see.
        start.Environment.Remove("DURAFLOW_PROFILE");
        return start;
    }
}

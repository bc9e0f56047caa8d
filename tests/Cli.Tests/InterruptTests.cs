using System.Diagnostics;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>
/// Ctrl-C during <c>duraflow run</c>, sent to a real process as SIGINT: once cancels the run and waits until it is
/// cancelled; twice leaves it running.
/// </summary>
public sealed class InterruptTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempFolder _project = new();

    public InterruptTests()
    {
        var started = JsonString(_project.PathOf("started"));
        _project.Write("pipelines/slow/pipeline.yaml", "name: slow\nblocks:\n  - { name: wait, uses: \"script:blocks/wait.csx\" }\n  - { name: after, uses: \"script:blocks/after.csx\", upstream: [wait] }\n");
        _project.Write("pipelines/slow/blocks/wait.csx", $"System.IO.File.WriteAllText({started}, \"\");\nawait Task.Delay(TimeSpan.FromMinutes(5), CancellationToken);\nreturn 1;\n");
        _project.Write("pipelines/slow/blocks/after.csx", "return 2;\n");

        // Ignores its CancellationToken: what stops is the command, not the block.
        _project.Write("pipelines/stubborn/pipeline.yaml", "name: stubborn\nblocks:\n  - { name: wait, uses: \"script:blocks/wait.csx\" }\n");
        _project.Write("pipelines/stubborn/blocks/wait.csx", $"System.IO.File.WriteAllText({started}, \"\");\nawait Task.Delay(TimeSpan.FromMinutes(5));\nreturn 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task One_ctrl_c_records_the_cancel_and_waits_until_the_run_is_cancelled()
    {
        var (exitCode, output) = await RunAndInterruptAsync("slow", times: 1);

        Assert.True(exitCode == 130, output);
        Assert.Contains("cancelling run", output, StringComparison.Ordinal);
        var runs = await CliRunner.RunAsync(_project.Root, "runs", "list");
        Assert.Contains(" cancelled ", runs.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_ctrl_c_leaves_the_run_unfinished_for_a_worker()
    {
        var (exitCode, output) = await RunAndInterruptAsync("stubborn", times: 2);

        Assert.True(exitCode == 130, output);
        Assert.Contains("left run", output, StringComparison.Ordinal);
        var runs = await CliRunner.RunAsync(_project.Root, "runs", "list");
        // The first Ctrl-C's cancel may or may not have been committed before the second arrived; either way the
        // command left without waiting for the block, which never finished.
        Assert.DoesNotContain(" succeeded ", runs.Out, StringComparison.Ordinal);
        Assert.Contains("stubborn", runs.Out, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAndInterruptAsync(string pipeline, int times)
    {
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = CliRunner.Start(_project.Root, output, "run", pipeline);
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            // The block writes its marker once it runs, so the interrupt lands mid-block.
            while (!File.Exists(_project.PathOf("started")))
            {
                Assert.False(process.HasExited, string.Join("\n", output));
                await Task.Delay(50, patience.Token);
            }

            for (var i = 0; i < times; i++)
            {
                await Interrupt(process.Id);
            }

            await process.WaitForExitAsync(patience.Token);
            return (process.ExitCode, string.Join("\n", output));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task Interrupt(int pid)
    {
        using var kill = Process.Start("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}

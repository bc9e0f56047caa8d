using Duraflow.Engine.Runs;

namespace Duraflow.Cli.Tests;

/// <summary>
/// Real processes killed with SIGKILL at random moments, then restarted: every run must still complete, with each
/// block's success recorded exactly once and every output on disk.
/// </summary>
public class CrashTests
{
    private const string SlowScript = """
        // Slow enough that kills land in the middle of blocks as well as between them.
        await Task.Delay(40, CancellationToken);
        return new { key = IdempotencyKey };
        """;

    [Fact]
    public async Task Runs_killed_at_twenty_points_complete_with_each_success_recorded_once_and_every_output_present()
    {
        using var project = new CrashProject("grid", CrashProject.Grid("grid", levels: 10, width: 10), SlowScript);
        var random = new Random(20261124);
        var killPoints = new HashSet<int>();
        for (var cycle = 0; killPoints.Count < 20 && cycle < 80; cycle++)
        {
            var unfinished = await project.ReadAsync(s => s.CountUnfinishedRunsAsync(CancellationToken.None));
            var before = await SucceededAsync(project);
            using var process = unfinished > 0
                ? CliRunner.Start(project.Root, "worker", "--until-idle")
                : CliRunner.Start(project.Root, "run", "grid");
            // The kill waits for progress rather than for a wall-clock delay: on a loaded machine a process can spend
            // seconds starting, and a timed kill would then land at the same point again and again.
            var target = before + random.Next(1, 25);
            if (!await ProgressReachedAsync(project, process, target))
            {
                continue;
            }

            // A few milliseconds more, so that some kills land inside a block rather than just after a record.
            await Task.Delay(random.Next(0, 40));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            killPoints.Add(await SucceededAsync(project));
        }

        var drain = await CliRunner.RunAsync(project.Root, TimeSpan.FromSeconds(120), "worker", "--until-idle");
        Assert.True(drain.ExitCode == 0, drain.ToString());

        Assert.True(killPoints.Count >= 20, $"only {killPoints.Count} distinct kill points: {string.Join(", ", killPoints.Order())}");
        var runs = await project.RunsAsync();
        Assert.NotEmpty(runs);
        foreach (var (state, events) in runs)
        {
            Assert.Equal(RunStatus.Succeeded, state.Status);
            var successes = events.OfType<BlockSucceeded>().GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(100, successes.Count);
            Assert.All(successes, s => Assert.True(s.Value == 1, $"{state.RunId}: {s.Key} succeeded {s.Value} times"));
            foreach (var block in state.Blocks.Values)
            {
                var output = StoredOutputs.Text(project.Root, block.Output!);
                Assert.True(output is not null, $"{state.RunId}: output {block.Output} is missing");
                Assert.Contains(state.RunId, output, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_concurrency_slot_held_by_a_killed_run_is_released_when_another_process_finishes_that_run()
    {
        const string yaml = """
            name: serial
            concurrency: 1
            blocks:
              - name: hold
                uses: script:blocks/work.csx
            """;
        // Long enough to be seen running: a block's start is recorded only once it has run for half a second, and on a
        // loaded machine that record can come late.
        using var project = new CrashProject("serial", yaml, "await Task.Delay(3000, CancellationToken);\nreturn RunId;\n");
        using (var first = CliRunner.Start(project.Root, "run", "serial"))
        {
            await WaitUntilAsync(async () => (await project.RunsAsync()).Any(r => r.State.Block("hold").Status == BlockStatus.Running));
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var killed = Assert.Single(await project.RunsAsync()).State;
        Assert.Equal(RunStatus.Running, killed.Status);

        var second = await CliRunner.RunAsync(project.Root, TimeSpan.FromSeconds(90), "run", "serial");

        Assert.True(second.ExitCode == 0, second.ToString());
        var runs = (await project.RunsAsync()).ToDictionary(r => r.State.RunId, r => r.State);
        var resumed = runs[killed.RunId];
        var later = runs.Values.Single(r => r.RunId != killed.RunId);
        Assert.Equal(RunStatus.Succeeded, resumed.Status);
        Assert.Equal(RunStatus.Succeeded, later.Status);
        Assert.True(later.StartedAt >= resumed.EndedAt, "the second run started while the first still held the only slot");
    }

    private static async Task<int> SucceededAsync(CrashProject project) =>
        (await project.RunsAsync()).Sum(r => r.Events.OfType<BlockSucceeded>().Count());

    // True once the store holds at least the target number of successes while the process still runs; false when the
    // process exits first. The limit turns a hang into a failure.
    private static async Task<bool> ProgressReachedAsync(CrashProject project, System.Diagnostics.Process process, int target)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (await SucceededAsync(project) < target)
        {
            if (process.HasExited)
            {
                return false;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no progress to {target} successes within 90 s");
            await Task.Delay(20);
        }

        return !process.HasExited;
    }

    // Polls the store for a state another process reaches; the limit turns a hang into a failure.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not reached within 60 s");
            await Task.Delay(50);
        }
    }
}

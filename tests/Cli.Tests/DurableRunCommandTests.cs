using System.Diagnostics;
using Duraflow.Engine.Runs;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>
/// <c>duraflow run --runtime durable</c> and <c>duraflow worker --runtime durable</c> as users run them: the built
/// command in a child process, its task hub on Azurite, the project's SQLite store as the run index.
/// </summary>
[Trait("Requires", "Azurite")]
public sealed class DurableRunCommandTests : IDisposable
{
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    // Azurite for the task hub, as AzureWebJobsStorage is in a Functions app.
    private static Dictionary<string, string> Hub => new() { ["AzureWebJobsStorage"] = Services.Azurite };

    [Fact]
    public async Task A_run_that_succeeds_exits_0_and_one_that_fails_exits_1_with_the_same_results_as_the_default_runtime()
    {
        _project.Write("pipelines/p/a.csx", "return Param<int>(\"n\") + 1;");
        _project.Write("pipelines/p/b.csx", "if (Input<int>(\"a\") > 5) throw new NonRetryableBlockException(\"too big\"); return Input<int>(\"a\") * 2;");
        _project.Write("pipelines/p/pipeline.yaml", """
            name: p
            parameters: { n: { type: int, default: 1 } }
            blocks:
              - { name: a, uses: script:a.csx }
              - { name: b, uses: script:b.csx }
            """);

        var good = await CliRunner.RunAsync(_project.Root, Hub, "run", "p", "--runtime", "durable", "--json");
        var bad = await CliRunner.RunAsync(_project.Root, Hub, "run", "p", "--runtime", "durable", "--param", "n=9");
        var badOnEngine = await CliRunner.RunAsync(_project.Root, Hub, "run", "p", "--param", "n=9");

        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Contains("\"status\":\"succeeded\"", good.Out, StringComparison.Ordinal);
        Assert.True(bad.ExitCode == 1, bad.ToString());
        Assert.Contains("block b failed: too big", bad.Out, StringComparison.Ordinal);
        Assert.Equal(badOnEngine.ExitCode, bad.ExitCode);
        var list = await CliRunner.RunAsync(_project.Root, "runs", "list");
        Assert.Equal(3, list.OutLines.Count(l => l.StartsWith("p-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Duraflow_yaml_can_make_durable_the_default_and_an_unknown_runtime_is_refused()
    {
        _project.Write("pipelines/p/a.csx", "return 1;");
        _project.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: script:a.csx }\n");
        _project.Write("duraflow.yaml", "runtime: durable\n");

        var run = await CliRunner.RunAsync(_project.Root, Hub, "run", "p");
        var unknownOption = await CliRunner.RunAsync(_project.Root, Hub, "run", "p", "--runtime", "lambda");
        _project.Write("duraflow.yaml", "runtime: lambda\n");
        var unknownSetting = await CliRunner.RunAsync(_project.Root, Hub, "run", "p");

        Assert.True(run.ExitCode == 0, run.ToString());
        var state = Assert.Single(await StoredRunsAsync());
        Assert.Equal("durable", state.Runtime);
        Assert.Equal(2, unknownOption.ExitCode);
        Assert.Contains("lambda", unknownOption.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, unknownSetting.ExitCode);
        Assert.Contains("duraflow.yaml:1:10", unknownSetting.Error + unknownSetting.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_durable_run_killed_midway_finishes_when_a_worker_starts_again_with_each_success_recorded_once()
    {
        _project.Write("pipelines/chain/step.csx", "await Task.Delay(400, CancellationToken); return ItemIndex ?? Attempt;");
        var yaml = "name: chain\nblocks:\n" + string.Concat(Enumerable.Range(0, 8).Select(i =>
            i == 0 ? "  - { name: s0, uses: script:step.csx }\n" : $"  - {{ name: s{i}, uses: script:step.csx, upstream: [s{i - 1}] }}\n"));
        _project.Write("pipelines/chain/pipeline.yaml", yaml);
        var start = CliRunner.StartInfo(_project.Root, ["run", "chain", "--runtime", "durable"]);
        start.Environment["AzureWebJobsStorage"] = Services.Azurite;
        using (var first = Process.Start(start)!)
        {
            first.OutputDataReceived += (_, _) => { };
            first.ErrorDataReceived += (_, _) => { };
            first.BeginOutputReadLine();
            first.BeginErrorReadLine();

            // Killed after some blocks succeeded and before the last: in the middle of the orchestration.
            await WaitUntilAsync(async () => (await StoredRunsAsync()).SingleOrDefault()?.Blocks.Count(b => b.Value.Status == BlockStatus.Succeeded) >= 3);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var killed = Assert.Single(await StoredRunsAsync());
        Assert.Equal(RunStatus.Running, killed.Status);

        var worker = await CliRunner.RunAsync(_project.Root, Hub, "worker", "--runtime", "durable", "--until-idle");

        Assert.True(worker.ExitCode == 0, worker.ToString());
        using var store = Engine.Storage.Sqlite.SqliteStore.Open(_project.PathOf(".duraflow/duraflow.db"));
        var finished = (await store.GetRunAsync(killed.RunId, CancellationToken.None))!.State;
        Assert.Equal(RunStatus.Succeeded, finished.Status);
        var successes = (await store.GetEventsAsync(killed.RunId, CancellationToken.None)).OfType<BlockSucceeded>().GroupBy(e => e.Key).ToList();
        Assert.Equal(8, successes.Count);
        Assert.All(successes, s => Assert.True(s.Count() == 1, $"{s.Key} succeeded {s.Count()} times"));
    }

    private async Task<IReadOnlyList<RunState>> StoredRunsAsync()
    {
        var path = _project.PathOf(".duraflow/duraflow.db");
        if (!File.Exists(path))
        {
            return [];
        }

        using var store = Engine.Storage.Sqlite.SqliteStore.Open(path);
        var runs = new List<RunState>();
        foreach (var summary in await store.ListRunsAsync(new(Limit: 100), CancellationToken.None))
        {
            runs.Add((await store.GetRunAsync(summary.RunId, CancellationToken.None))!.State);
        }

        return runs;
    }

    // Polls the store for a state another process reaches; the limit turns a hang into a failure.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not reached within 90 s");
            await Task.Delay(50);
        }
    }
}

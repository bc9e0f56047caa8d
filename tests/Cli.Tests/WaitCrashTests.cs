using System.Diagnostics;
using Duraflow.Engine.Runs;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>
/// Issue 20's crash test for durable waits: the process running a <c>wait.for</c> is killed with SIGKILL while the
/// block waits; a worker started again ends the wait when it was due (it is not started over) on each runtime.
/// </summary>
public sealed class WaitCrashTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(6);
    private readonly TempFolder _project = new();

    public WaitCrashTests()
    {
        _project.Write("duraflow.yaml", "workers:\n  lease: 1s\n");
        _project.Write("pipelines/waits/after.csx", "return Input<System.Text.Json.JsonElement>(\"pause\").GetProperty(\"until\").GetString();");
        _project.Write("pipelines/waits/pipeline.yaml", $$"""
            name: waits
            blocks:
              - { name: pause, uses: wait.for, with: { duration: {{(int)Wait.TotalSeconds}}s } }
              - { name: after, uses: script:after.csx, upstream: [pause] }
            """);
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public Task Killed_during_wait_for_the_duraflow_runtime_ends_the_wait_when_it_was_due() => KilledDuringWaitAsync("duraflow", []);

    [Fact]
    [Trait("Requires", "Azurite")]
    public Task Killed_during_wait_for_the_durable_runtime_ends_the_wait_when_it_was_due() =>
        KilledDuringWaitAsync("durable", new Dictionary<string, string> { ["AzureWebJobsStorage"] = Services.Azurite });

    private async Task KilledDuringWaitAsync(string runtime, Dictionary<string, string> environment)
    {
        var start = CliRunner.StartInfo(_project.Root, ["run", "waits", "--runtime", runtime]);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using (var first = Process.Start(start)!)
        {
            first.OutputDataReceived += (_, _) => { };
            first.ErrorDataReceived += (_, _) => { };
            first.BeginOutputReadLine();
            first.BeginErrorReadLine();
            await WaitUntilAsync(async () => (await StoredRunAsync())?.Block("pause").Status == BlockStatus.Waiting);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var killed = (await StoredRunAsync())!;
        Assert.Equal(RunStatus.Running, killed.Status);
        var due = killed.Block("pause").WaitUntil!.Value;

        var worker = await CliRunner.RunAsync(_project.Root, environment, "worker", "--runtime", runtime, "--until-idle");

        Assert.True(worker.ExitCode == 0, worker.ToString());
        using var store = Engine.Storage.Sqlite.SqliteStore.Open(_project.PathOf(".duraflow/duraflow.db"));
        var finished = (await store.GetRunAsync(killed.RunId, CancellationToken.None))!.State;
        Assert.Equal(RunStatus.Succeeded, finished.Status);
        var events = await store.GetEventsAsync(killed.RunId, CancellationToken.None);

        // The wait was not started over: one wait, one attempt, ended at its due time, not a whole wait after the restart.
        var wait = Assert.Single(events.OfType<BlockWaiting>());
        Assert.Equal(due, wait.Until);
        Assert.Equal(1, finished.Block("pause").Attempt);
        var ended = events.OfType<BlockSucceeded>().Single(e => e.Key == "pause");
        Assert.True(ended.At >= due, $"the wait ended at {ended.At:O}, before it was due at {due:O}");
        Assert.Equal(due, DateTimeOffset.Parse(System.Text.Json.JsonDocument.Parse(OutputText(finished, "after")).RootElement.GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string OutputText(RunState state, string key) =>
        OutputReference.TryGetInlineJson(state.Block(key).Output!, out var json) ? json : throw new InvalidOperationException($"{key}'s output is not inline");

    private async Task<RunState?> StoredRunAsync()
    {
        var path = _project.PathOf(".duraflow/duraflow.db");
        if (!File.Exists(path))
        {
            return null;
        }

        using var store = Engine.Storage.Sqlite.SqliteStore.Open(path);
        var summary = (await store.ListRunsAsync(new(Limit: 1), CancellationToken.None)).SingleOrDefault();
        return summary is null ? null : (await store.GetRunAsync(summary.RunId, CancellationToken.None))?.State;
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

using System.Diagnostics;
using Duraflow.Engine.Runs;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>
/// Issue 20's crash tests for durable waits, on each runtime: the process running a run is killed with SIGKILL while a
/// block waits. A <c>wait.for</c> ends when it was due (it is not started over) once a worker runs again; an approval
/// sent with <c>duraflow runs signal</c> while no process runs the run still arrives.
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
        _project.Write("pipelines/release/by.csx", "return Input<System.Text.Json.JsonElement>(\"approve\").GetProperty(\"by\").GetString();");
        _project.Write("pipelines/release/pipeline.yaml", """
            name: release
            blocks:
              - { name: approve, uses: wait.approval, with: { name: ship, timeout: 1h } }
              - { name: by, uses: script:by.csx, upstream: [approve] }
            """);
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public Task Killed_during_wait_for_the_duraflow_runtime_ends_the_wait_when_it_was_due() => KilledDuringWaitAsync("duraflow", []);

    [Fact]
    [Trait("Requires", "Azurite")]
    public Task Killed_during_wait_for_the_durable_runtime_ends_the_wait_when_it_was_due() =>
        KilledDuringWaitAsync("durable", new Dictionary<string, string> { ["AzureWebJobsStorage"] = Services.Azurite });

    [Fact]
    public Task An_approval_sent_through_the_cli_while_no_process_runs_the_duraflow_run_still_arrives() => ApprovedAfterKillAsync("duraflow", []);

    [Fact]
    [Trait("Requires", "Azurite")]
    public Task An_approval_sent_through_the_cli_while_no_process_runs_the_durable_run_still_arrives() =>
        ApprovedAfterKillAsync("durable", new Dictionary<string, string> { ["AzureWebJobsStorage"] = Services.Azurite });

    private async Task ApprovedAfterKillAsync(string runtime, Dictionary<string, string> environment)
    {
        await StartAndKillWhileAsync("release", runtime, environment, "approve");
        var runId = (await StoredRunAsync())!.RunId;
        var waiting = await CliRunner.RunAsync(_project.Root, environment, "runs", "list", "--status", "waiting");
        Assert.True(waiting.ExitCode == 0, waiting.ToString());
        Assert.Matches($@"{runId}\s+release\s+waiting\s", waiting.Out);

        var notAnObject = await CliRunner.RunAsync(_project.Root, environment, "runs", "signal", runId, "ship", "--data", "[1]");
        var approved = await CliRunner.RunAsync(_project.Root, environment, "runs", "signal", runId, "ship", "--data", """{"approved": true, "comment": "go"}""", "--key", "change-7");
        var again = await CliRunner.RunAsync(_project.Root, environment, "runs", "signal", runId, "ship", "--data", """{"approved": true, "comment": "go"}""", "--key", "change-7");

        Assert.Equal(2, notAnObject.ExitCode);
        Assert.Contains("--data: a signal's data is a JSON object", notAnObject.Error, StringComparison.Ordinal);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Contains("received signal 'ship' from cli:", approved.Out, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        var worker = await CliRunner.RunAsync(_project.Root, environment, "worker", "--runtime", runtime, "--until-idle");

        Assert.True(worker.ExitCode == 0, worker.ToString());
        using var store = Engine.Storage.Sqlite.SqliteStore.Open(_project.PathOf(".duraflow/duraflow.db"));
        var finished = (await store.GetRunAsync(runId, CancellationToken.None))!.State;
        Assert.Equal(RunStatus.Succeeded, finished.Status);
        Assert.StartsWith("\"cli:", OutputText(finished, "by"), StringComparison.Ordinal);
        Assert.DoesNotContain(runId, (await CliRunner.RunAsync(_project.Root, environment, "runs", "list", "--status", "waiting")).Out, StringComparison.Ordinal);
        Assert.Single((await store.GetEventsAsync(runId, CancellationToken.None)).OfType<SignalReceived>());
        var shown = await CliRunner.RunAsync(_project.Root, "runs", "show", runId);
        Assert.Contains("signal 'ship' from cli:", shown.Out, StringComparison.Ordinal);
        Assert.Contains("(key change-7): taken by approve", shown.Out, StringComparison.Ordinal);
    }

    // Starts a run of the pipeline in a process and kills it once the block waits.
    private async Task StartAndKillWhileAsync(string pipeline, string runtime, Dictionary<string, string> environment, string waitingBlock)
    {
        var start = CliRunner.StartInfo(_project.Root, ["run", pipeline, "--runtime", runtime]);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var first = Process.Start(start)!;
        first.OutputDataReceived += (_, _) => { };
        first.ErrorDataReceived += (_, _) => { };
        first.BeginOutputReadLine();
        first.BeginErrorReadLine();
        await WaitUntilAsync(async () => (await StoredRunAsync())?.Block(waitingBlock).Status == BlockStatus.Waiting);
        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();
    }

    private async Task KilledDuringWaitAsync(string runtime, Dictionary<string, string> environment)
    {
        await StartAndKillWhileAsync("waits", runtime, environment, "pause");
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

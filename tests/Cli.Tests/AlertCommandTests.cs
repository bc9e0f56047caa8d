using Duraflow.Engine.Tests.Alerts;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>
/// `duraflow run` sends the alerts of the run it ran before it exits, on both runtimes (the durable one runs no engine
/// workers, so the command sends them itself), and `runs show` says how each went.
/// </summary>
public sealed class AlertCommandTests : IDisposable
{
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    [Theory]
    [InlineData("duraflow")]
    [InlineData("durable")]
    [Trait("Requires", "Azurite")]
    public async Task A_failed_run_sends_its_alert_before_the_command_exits_and_runs_show_lists_it(string runtime)
    {
        await using var receiver = await AlertReceiver.StartAsync();
        _project.Write("duraflow.yaml", "alerts:\n  dashboard_url: https://flows.example.com\n  send:\n    - { on: [failed], webhook: \"{{ env.ALERT_HOOK }}\" }\n");
        _project.Write("pipelines/nightly/broken.csx", "throw new InvalidOperationException(\"the export share is full\");");
        _project.Write("pipelines/nightly/pipeline.yaml", "name: nightly\nblocks:\n  - { name: broken, uses: script:broken.csx }\n");
        // Azurite holds the durable runtime's task hub, as AzureWebJobsStorage does in a Functions app.
        var environment = new Dictionary<string, string> { ["ALERT_HOOK"] = receiver.Url, ["AzureWebJobsStorage"] = Services.Azurite };

        var run = await CliRunner.RunAsync(_project.Root, environment, "run", "nightly", "--runtime", runtime);

        Assert.Equal(1, run.ExitCode);
        var (key, body) = Assert.Single(receiver.Received);
        var runId = key!.Split('/')[0];
        Assert.Contains($"\"link\":\"https://flows.example.com/runs/{runId}\"", body, StringComparison.Ordinal);
        var show = await CliRunner.RunAsync(_project.Root, "runs", "show", runId);
        Assert.Contains("alert failed -> webhook: delivered (1 attempt", show.Out, StringComparison.Ordinal);
    }
}

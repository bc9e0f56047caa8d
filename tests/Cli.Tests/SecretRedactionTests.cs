using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>A secret a block reads is masked everywhere the run stores text: logs, errors, JSON and table outputs.</summary>
public sealed class SecretRedactionTests : IDisposable
{
    private const string Token = "tok-7f3a9c2e";
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_secret_never_reaches_the_run_log_the_error_or_the_stored_output()
    {
        _project.Write("secrets.local.yaml", $"api_token: {Token}\n");
        _project.Write("pipelines/leaky/pipeline.yaml", """
            name: leaky
            blocks:
              - { name: call, uses: "script:blocks/call.csx" }
              - { name: fail, uses: "script:blocks/fail.csx", retry: { attempts: 1 } }
              - { name: rows, uses: "script:blocks/rows.csx" }
            """);
        _project.Write("pipelines/leaky/blocks/rows.csx", """
            var token = await Secret("api_token");
            return new[] { new { id = 1, note = "sent " + token + " twice: " + token }, new { id = 2, note = "clean" } };
            """);
        _project.Write("pipelines/leaky/blocks/call.csx", """
            var token = await Secret("api_token");
            Log.LogInformation("calling with " + token);
            return new { header = "Bearer " + token };
            """);
        _project.Write("pipelines/leaky/blocks/fail.csx", """
            throw new InvalidOperationException("rejected token " + await Secret("api_token"));
            """);

        var run = await CliRunner.RunAsync(_project.Root, "run", "leaky", "--json");
        using var json = JsonDocument.Parse(run.Out);
        var runId = json.RootElement.GetProperty("run_id").GetString()!;
        var logs = await CliRunner.RunAsync(_project.Root, "runs", "logs", runId);
        var show = await CliRunner.RunAsync(_project.Root, "runs", "show", runId);
        var output = StoredOutputs.Text(_project.Root, StoredOutputs.Block(json.RootElement, "call").GetProperty("output"));

        var rows = new Blocks.Table(Path.Combine(_project.Root, ".duraflow", "artifacts",
            StoredOutputs.Block(json.RootElement, "rows").GetProperty("output").GetProperty("artifact").GetString()!)).ToJson().GetRawText();

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("""[{"id":1,"note":"sent *** twice: ***"},{"id":2,"note":"clean"}]""", rows);
        Assert.Contains("calling with ***", logs.Out, StringComparison.Ordinal);
        Assert.Contains("rejected token ***", show.Out, StringComparison.Ordinal);
        Assert.Equal("""{"header":"Bearer ***"}""", output);
        Assert.DoesNotContain(Token, run.Out + logs.Out + show.Out + output + rows, StringComparison.Ordinal);
    }
}

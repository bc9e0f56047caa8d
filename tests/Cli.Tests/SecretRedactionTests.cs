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

    [Fact]
    public async Task A_secret_parameter_is_masked_in_every_view_and_what_a_block_prints_goes_to_its_log_redacted()
    {
        const string password = "pw-91c0d4e7aa";
        _project.Write("pipelines/login/pipeline.yaml", """
            name: login
            parameters:
              user: string
              password: { type: string, secret: true, required: true }
            blocks:
              - { name: connect, uses: "script:blocks/connect.csx" }
            """);
        _project.Write("pipelines/login/blocks/connect.csx", """
            var password = Param<string>("password");
            Console.WriteLine($"connecting as {Param<string>("user")} with {password}");
            Console.Error.Write("warning: plain text " + password);
            return new { dsn = $"user=ada;password={password}" };
            """);

        var run = await CliRunner.RunAsync(_project.Root, "run", "login", "--param", "user=ada", "--param", $"password={password}", "--json");
        using var json = JsonDocument.Parse(run.Out);
        var runId = json.RootElement.GetProperty("run_id").GetString()!;
        var logs = await CliRunner.RunAsync(_project.Root, "runs", "logs", runId);
        var show = await CliRunner.RunAsync(_project.Root, "runs", "show", runId, "--json");
        var output = StoredOutputs.Text(_project.Root, StoredOutputs.Block(json.RootElement, "connect").GetProperty("output"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("***", json.RootElement.GetProperty("parameters").GetProperty("password").GetString());
        Assert.Equal("ada", JsonDocument.Parse(show.Out).RootElement.GetProperty("parameters").GetProperty("user").GetString());
        Assert.Equal("***", JsonDocument.Parse(show.Out).RootElement.GetProperty("parameters").GetProperty("password").GetString());
        Assert.Contains("connect#1 information: connecting as ada with ***", logs.Out, StringComparison.Ordinal);
        Assert.Contains("connect#1 warning: warning: plain text ***", logs.Out, StringComparison.Ordinal);
        Assert.Equal("""{"dsn":"user=ada;password=***"}""", output);
        Assert.DoesNotContain(password, run.Out + run.Error + logs.Out + show.Out + output, StringComparison.Ordinal);
        Assert.DoesNotContain("connecting as", run.Out + run.Error, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary><c>duraflow runs purge</c> as a user runs it: finished runs go with their outputs, the rest stays.</summary>
public sealed class RunsPurgeCommandTests : IDisposable
{
    private readonly TempFolder _project = new();

    public RunsPurgeCommandTests()
    {
        // An output too large to keep inline, so each run has a folder of outputs that a purge must take along.
        _project.Write("pipelines/big/make.csx", "return new string('x', 20000);");
        _project.Write("pipelines/big/pipeline.yaml", "name: big\nblocks:\n  - { name: make, uses: script:make.csx }\n");
        _project.Write("pipelines/small/one.csx", "return 1;");
        _project.Write("pipelines/small/pipeline.yaml", "name: small\nblocks:\n  - { name: one, uses: script:one.csx }\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_dry_run_counts_and_a_purge_of_one_pipeline_removes_its_finished_runs_and_their_outputs()
    {
        var big = await RunAsync("big");
        var bigAgain = await RunAsync("big");
        var small = await RunAsync("small");
        Assert.True(Directory.Exists(_project.PathOf($".duraflow/artifacts/runs/{big}")));

        var dry = await CliRunner.RunAsync(_project.Root, "runs", "purge", "--older-than", "1ms", "--pipeline", "big", "--dry-run");
        var dryJson = await CliRunner.RunAsync(_project.Root, "runs", "purge", "--older-than", "1ms", "--dry-run", "--json");
        var recent = await CliRunner.RunAsync(_project.Root, "runs", "purge", "--older-than", "30d");
        var purge = await CliRunner.RunAsync(_project.Root, "runs", "purge", "--older-than", "1ms", "--pipeline", "big");
        var list = await CliRunner.RunAsync(_project.Root, "runs", "list", "--json");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.StartsWith("would purge 2 finished run(s) of pipeline big that ended before ", dry.Out, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(dryJson.Out))
        {
            Assert.True(json.RootElement.GetProperty("dry_run").GetBoolean());
            Assert.Equal(3, json.RootElement.GetProperty("matched").GetInt32());
            Assert.Equal(0, json.RootElement.GetProperty("purged").GetInt32());
        }

        Assert.True(recent.ExitCode == 0, recent.ToString());
        Assert.StartsWith("purged 0 finished run(s) that ended before ", recent.Out, StringComparison.Ordinal);
        Assert.True(purge.ExitCode == 0, purge.ToString());
        Assert.StartsWith("purged 2 finished run(s) of pipeline big that ended before ", purge.Out, StringComparison.Ordinal);
        using var listed = JsonDocument.Parse(list.Out);
        Assert.Equal([small], listed.RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        Assert.False(Directory.Exists(_project.PathOf($".duraflow/artifacts/runs/{big}")));
        Assert.False(Directory.Exists(_project.PathOf($".duraflow/artifacts/runs/{bigAgain}")));
        Assert.Equal(2, (await CliRunner.RunAsync(_project.Root, "runs", "show", big)).ExitCode);
    }

    [Theory]
    [InlineData("abc", "--older-than 'abc' is not a duration; write for example 30d, 12h or 1d12h")]
    [InlineData("-30d", "--older-than '-30d' is not a duration; write for example 30d, 12h or 1d12h")]
    [InlineData("30", "--older-than '30' is not a duration; write for example 30d, 12h or 1d12h")]
    [InlineData("0d", "--older-than '0d' would purge runs that have not ended yet; give a duration above zero such as 30d, 12h or 1d12h")]
    [InlineData("36501d", "--older-than '36501d' is longer than 36500d (100 years), the longest age accepted")]
    [InlineData("99999999999999999999d", "--older-than '99999999999999999999d' is not a duration; write for example 30d, 12h or 1d12h")]
    public async Task An_age_that_is_no_duration_above_zero_is_a_usage_error_naming_the_flag(string age, string message)
    {
        var result = await CliRunner.RunAsync(_project.Root, "runs", "purge", "--older-than", age);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {message}", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_project.PathOf(".duraflow/duraflow.db")));
    }

    [Fact]
    public async Task Purge_without_an_age_is_a_usage_error_and_its_help_names_every_option()
    {
        var missing = await CliRunner.RunAsync(_project.Root, "runs", "purge");
        var help = await CliRunner.RunAsync(_project.Root, "runs", "purge", "--help");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--older-than", missing.Error, StringComparison.Ordinal);
        Assert.Equal(0, help.ExitCode);
        foreach (var option in new[] { "--older-than", "--pipeline", "--dry-run", "--json" })
        {
            Assert.Contains(option, help.Out, StringComparison.Ordinal);
        }
    }

    private async Task<string> RunAsync(string pipeline)
    {
        var result = await CliRunner.RunAsync(_project.Root, "run", pipeline, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("run_id").GetString()!;
    }
}

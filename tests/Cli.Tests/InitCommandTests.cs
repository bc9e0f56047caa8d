using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

public class InitCommandTests(ScaffoldedProject scaffold) : IClassFixture<ScaffoldedProject>
{
    [Fact]
    public async Task Init_CreatesAProjectThatValidatesAndGraphs()
    {
        var hash = scaffold.PathOf(".duraflow/cache/blocks.hash");
        var built = File.GetLastWriteTimeUtc(hash);

        var validate = await CliRunner.RunAsync(scaffold.Root, "validate");
        var graph = await CliRunner.RunAsync(Path.GetDirectoryName(scaffold.Root)!, "graph", "hello", "--project", "demo");

        Assert.True(scaffold.Init.ExitCode == 0, scaffold.Init.ToString());
        Assert.True(File.Exists(scaffold.PathOf("pipelines/hello/pipeline.yaml")));
        Assert.True(File.Exists(scaffold.PathOf(".gitignore")));
        Assert.True(File.Exists(scaffold.PathOf("blocks/WelcomeReport.cs")));
        Assert.Equal((0, "1 pipeline valid (4 blocks): hello\n"), (scaffold.FirstValidate.ExitCode, scaffold.FirstValidate.Out));
        Assert.Equal((0, "1 pipeline valid (4 blocks): hello\n"), (validate.ExitCode, validate.Out));
        Assert.Equal("building blocks/ (a file there changed since the last build)\n", scaffold.FirstValidate.Error);
        Assert.Empty(validate.Error);
        Assert.Equal(0, graph.ExitCode);
        Assert.Contains("  per_country     sql:sql/per_country.sql    <- greet", graph.OutLines);
        Assert.Contains("  summary         class:Hello.WelcomeReport  <- greet, per_country", graph.OutLines);

        // Nothing under blocks/ changed, so the second validate and the graph reused the first build.
        Assert.Equal(built, File.GetLastWriteTimeUtc(hash));
    }

    [Fact]
    public async Task Init_CreatesAProjectWhoseHelloPipelineRunsScriptSqlAndClassBlocks()
    {
        var run = await CliRunner.RunAsync(scaffold.Root, "run", "hello", "--param", "greeting=Hi", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.All(json.RootElement.GetProperty("blocks").EnumerateArray(), b => Assert.Equal("succeeded", b.GetProperty("status").GetString()));
        var summary = StoredOutputs.Text(scaffold.Root, StoredOutputs.Block(json.RootElement, "summary").GetProperty("output"));

        // Expected from the scaffold's own data, computed the plain way.
        var countries = File.ReadAllLines(scaffold.PathOf("data/customers.csv")).Skip(1).Select(line => line.Split(',')[2]).ToList();
        var largest = countries.GroupBy(c => c).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        Assert.Equal(
            $$"""{"greeting":"Hi","customers":{{countries.Count}},"countries":{{countries.Distinct().Count()}},"largest_country":"{{largest}}"}""",
            summary);
        var logs = await CliRunner.RunAsync(scaffold.Root, "runs", "logs", json.RootElement.GetProperty("run_id").GetString()!, "--block", "summary");
        Assert.Contains($"Hi: {countries.Count} customers in {countries.Distinct().Count()} countries", logs.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_IntoAnExistingProject_ChangesNothing()
    {
        using var folder = new TempFolder();
        var settings = folder.Write("duraflow.yaml", "timezone: Asia/Tokyo\n");

        var result = await CliRunner.RunAsync(folder.Root, "init");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already holds a Duraflow project", result.Error, StringComparison.Ordinal);
        Assert.Equal("timezone: Asia/Tokyo\n", File.ReadAllText(settings));
        Assert.False(Directory.Exists(folder.PathOf("pipelines")));
    }

    [Fact]
    public async Task Init_OverAFileItWouldWrite_RefusesBeforeWritingAnything()
    {
        using var folder = new TempFolder();
        folder.Write("io_config.yaml", "mine: true\n");

        var result = await CliRunner.RunAsync(folder.Root, "init");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("io_config.yaml already exist", result.Error, StringComparison.Ordinal);
        Assert.Equal("mine: true\n", File.ReadAllText(folder.PathOf("io_config.yaml")));
        Assert.False(File.Exists(folder.PathOf("duraflow.yaml")));
    }

    [Theory]
    [InlineData("--help", "validate")]
    [InlineData("validate --help", "PATH")]
    [InlineData("graph --help", "mermaid")]
    [InlineData("init --help", "DIR")]
    public async Task Help_IsAvailableEverywhere(string args, string expected)
    {
        var result = await CliRunner.RunAsync(RepositoryPaths.Root, args.Split(' '));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(expected, result.Out, StringComparison.Ordinal);
    }
}

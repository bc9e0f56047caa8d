using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

public class InitCommandTests
{
    [Fact]
    public async Task Init_CreatesAProjectThatValidatesAndGraphs()
    {
        using var folder = new TempFolder();

        var init = await CliRunner.RunAsync(folder.Root, "init", "demo");
        var validate = await CliRunner.RunAsync(folder.PathOf("demo"), "validate");
        var graph = await CliRunner.RunAsync(folder.Root, "graph", "hello", "--project", "demo");

        Assert.Equal(0, init.ExitCode);
        Assert.True(File.Exists(folder.PathOf("demo/pipelines/hello/pipeline.yaml")));
        Assert.True(File.Exists(folder.PathOf("demo/.gitignore")));
        Assert.Equal((0, "1 pipeline valid (3 blocks): hello\n"), (validate.ExitCode, validate.Out));
        Assert.Equal(0, graph.ExitCode);
        Assert.Contains("  per_country     sql:sql/per_country.sql  <- greet", graph.OutLines);
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

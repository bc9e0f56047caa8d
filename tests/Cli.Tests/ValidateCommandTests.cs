using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

public class ValidateCommandTests
{
    private static string Broken => Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken");

    [Fact]
    public async Task Validate_Examples_ExitsZero()
    {
        var result = await CliRunner.RunAsync(RepositoryPaths.Root, "validate", "examples");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("3 pipelines valid (10 blocks): orders, refresh_customers, region_reports\n", result.Out);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Validate_BrokenProject_PrintsOneLocatedErrorPerProblemAndExitsOne()
    {
        var result = await CliRunner.RunAsync(Broken, "validate");

        Assert.Equal(1, result.ExitCode);
        var codes = result.OutLines.SkipLast(1).Select(line => line[..(line.IndexOf(": error ", StringComparison.Ordinal) + 13)]).ToArray();
        Assert.Equal(
            [
                "pipelines/bad_values/pipeline.yaml:2:10: error DF006",
                "pipelines/bad_values/pipeline.yaml:5:11: error DF008",
                "pipelines/bad_values/pipeline.yaml:6:5: error DF005",
                "pipelines/bad_values/pipeline.yaml:8:23: error DF007",
                "pipelines/cycle/pipeline.yaml:3:13: error DF002",
                "pipelines/duplicates/pipeline.yaml:4:13: error DF003",
                "pipelines/unknown_ref/pipeline.yaml:10:16: error DF001",
                "pipelines/unknown_ref/sql/report.sql:1:25: error DF001",
            ],
            codes);
        Assert.Contains("pipelines/cycle/pipeline.yaml:3:13: error DF002: dependency cycle: a -> b -> c -> a;", result.Out, StringComparison.Ordinal);
        Assert.Contains("unknown key 'retries' in a block; did you mean 'retry'?", result.Out, StringComparison.Ordinal);
        Assert.Contains("references unknown block 'reprot'; did you mean 'report'?", result.Out, StringComparison.Ordinal);
        Assert.Equal("8 errors, 0 warnings", result.OutLines[^1]);
        Assert.DoesNotContain("   at ", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_PipelineFolderOrFile_ChecksOnlyThatPipeline()
    {
        var folder = await CliRunner.RunAsync(Broken, "validate", "pipelines/cycle");
        var file = await CliRunner.RunAsync(RepositoryPaths.Root, "validate", "examples/pipelines/orders/pipeline.yaml");

        Assert.Equal(1, folder.ExitCode);
        Assert.Single(folder.OutLines, l => l.Contains("error", StringComparison.Ordinal) && !l.StartsWith('1'));
        Assert.Equal(0, file.ExitCode);
        Assert.Equal("1 pipeline valid (4 blocks): orders\n", file.Out);
    }

    [Fact]
    public async Task Validate_WithoutPath_FindsTheProjectAboveTheCurrentFolder()
    {
        var result = await CliRunner.RunAsync(Path.Combine(RepositoryPaths.Examples, "pipelines", "orders", "sql"), "validate");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("3 pipelines valid", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NotYaml_ReportsASyntaxErrorWithoutAStackTrace()
    {
        using var folder = new TempFolder();
        folder.Write("pipeline.yaml", "name: [unclosed\nblocks: {\n");

        var result = await CliRunner.RunAsync(folder.Root, "validate", "pipeline.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("pipeline.yaml:2:1: error DF014", result.Out, StringComparison.Ordinal);
        Assert.Contains(": error DF014: invalid YAML", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate", "no/such/folder")]
    [InlineData("validate", "--bogus")]
    [InlineData("frobnicate")]
    [InlineData]
    [InlineData("graph")]
    [InlineData("graph", "orders", "--format", "png")]
    public async Task BadUsage_ExitsTwoWithAMessage(params string[] args)
    {
        var result = await CliRunner.RunAsync(RepositoryPaths.Examples, args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_OutsideAnyProject_ExplainsHowToStart()
    {
        using var folder = new TempFolder();
        var result = await CliRunner.RunAsync(folder.Root, "validate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no Duraflow project here", result.Error, StringComparison.Ordinal);
        Assert.Contains("duraflow init", result.Error, StringComparison.Ordinal);
    }
}

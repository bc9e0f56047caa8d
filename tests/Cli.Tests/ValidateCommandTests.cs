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
        Assert.Equal("4 pipelines valid (12 blocks): new_orders, orders, refresh_customers, region_reports\n", result.Out);
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
        Assert.Contains("4 pipelines valid", result.Out, StringComparison.Ordinal);
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

    [Fact]
    public async Task Validate_ScriptThatDoesNotCompile_PrintsDF022AtTheScriptsOwnLineAndColumn()
    {
        using var project = new TempFolder();
        const string script = "public record Order(long OrderId, decimal Amount);\n\nreturn Input<Order[]>(\"load_orders\")\n    .Where(o => o.Amout > 1);\n";
        project.Write("pipelines/orders/pipeline.yaml", "name: orders\nblocks:\n  - { name: load_orders, uses: csv.read, with: { path: a.csv } }\n  - { name: clean_orders, uses: \"script:blocks/clean_orders.csx\" }\n");
        project.Write("pipelines/orders/blocks/clean_orders.csx", script);
        var lines = script.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("Amout", StringComparison.Ordinal));
        var column = lines[line].IndexOf("Amout", StringComparison.Ordinal) + 1;

        var result = await CliRunner.RunAsync(project.Root, "validate");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(2, result.OutLines.Length);
        Assert.StartsWith(
            $"pipelines/orders/blocks/clean_orders.csx:{line + 1}:{column}: error DF022: CS1061: 'Order' does not contain a definition for 'Amout'",
            result.OutLines[0],
            StringComparison.Ordinal);
        Assert.Equal((4, 19), (line + 1, column));
        Assert.Equal("1 error, 0 warnings", result.OutLines[1]);
    }

    [Fact]
    public async Task Validate_CompilesScriptsIntoTheProjectCacheOnce_AndNotAgainTheSecondTime()
    {
        using var project = new TempFolder();
        project.Write("pipelines/hello/pipeline.yaml", "name: hello\nblocks:\n  - { name: greet, uses: \"script:blocks/greet.csx\" }\n  - { name: shout, uses: \"script:blocks/shout.csx\" }\n");
        project.Write("pipelines/hello/blocks/greet.csx", "#warning say it louder\nreturn \"hello\";\n");
        project.Write("pipelines/hello/blocks/shout.csx", "return Input<string>(\"greet\").ToUpperInvariant();\n");
        var cache = project.PathOf(".duraflow/cache/scripts");

        var first = await CliRunner.RunAsync(project.Root, "validate");
        var written = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var files = Directory.GetFiles(cache);
        foreach (var file in files)
        {
            File.SetLastWriteTimeUtc(file, written);
        }

        var second = await CliRunner.RunAsync(project.Root, "validate");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("1 pipeline valid (2 blocks): hello\n", first.Out);
        Assert.Equal(first.Out, second.Out);
        Assert.Equal(2, files.Length);
        Assert.All(Directory.GetFiles(cache), f => Assert.Equal(written, File.GetLastWriteTimeUtc(f)));
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

using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

public class GraphCommandTests
{
    [Fact]
    public async Task Graph_Text_ListsLevelsAndUpstream()
    {
        var result = await CliRunner.RunAsync(RepositoryPaths.Root, "graph", "orders", "--project", "examples");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("orders: 4 blocks, 4 levels", result.OutLines[0]);
        Assert.Contains(result.OutLines, l => l.StartsWith("  daily_totals ", StringComparison.Ordinal) && l.EndsWith("<- clean_orders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Graph_Mermaid_IsAFlowchartWithEveryEdge()
    {
        var result = await CliRunner.RunAsync(RepositoryPaths.Examples, "graph", "region_reports", "--format", "mermaid");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("flowchart LR", result.OutLines[0]);
        Assert.Contains("  b_list_regions --> b_region_report", result.OutLines);
        Assert.Contains("  b_region_report --> b_combine_reports", result.OutLines);
    }

    [Fact]
    public async Task Graph_Dot_ByPipelineFolderPath()
    {
        var result = await CliRunner.RunAsync(RepositoryPaths.Root, "graph", "examples/pipelines/refresh_customers", "-f", "dot");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("digraph \"refresh_customers\" {", result.OutLines[0]);
        Assert.Contains("  \"count_changes\" -> \"load_changes\";", result.OutLines);
        Assert.Equal("}", result.OutLines[^1]);
    }

    [Fact]
    public async Task Graph_UnknownPipeline_SuggestsAndExitsTwo()
    {
        var result = await CliRunner.RunAsync(RepositoryPaths.Examples, "graph", "order");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no pipeline 'order'", result.Error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'orders'?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_InvalidPipeline_PrintsErrorsAndExitsOne()
    {
        var result = await CliRunner.RunAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken"), "graph", "cycle");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error DF002: dependency cycle: a -> b -> c -> a", result.Out, StringComparison.Ordinal);
    }
}

using Duraflow.Blocks.Catalog;
using Duraflow.Engine.Dag;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Tests;

public class PipelineGraphTests
{
    [Fact]
    public void Diamond_HasStableTopologicalOrderLevelsRootsAndLeaves()
    {
        // Declared out of order on purpose: the order must follow dependencies, ties by declaration.
        var graph = Build(("join", ["left", "right"]), ("right", ["source"]), ("left", ["source"]), ("source", []), ("audit", []));

        Assert.True(graph.IsAcyclic);
        Assert.Equal(["source", "audit", "right", "left", "join"], graph.TopologicalOrder.Select(b => b.Name));
        Assert.Equal(3, graph.LevelCount);
        Assert.Equal([["source", "audit"], ["right", "left"], ["join"]], graph.Levels().Select(l => l.Select(b => b.Name).ToArray()));
        Assert.Equal(["source", "audit"], graph.Roots.Select(b => b.Name));
        Assert.Equal(["join", "audit"], graph.Leaves.Select(b => b.Name));
        Assert.Equal(2, graph.Level("join"));
    }

    [Fact]
    public void Level_IsTheLongestPathFromARoot()
    {
        var graph = Build(("a", []), ("b", ["a"]), ("c", ["b"]), ("d", ["a", "c"]));
        Assert.Equal(3, graph.Level("d"));
    }

    [Fact]
    public void SelfReference_IsACycleOfOne()
    {
        var graph = Build(("a", ["a"]), ("b", []));
        Assert.Equal(["a", "a"], Assert.Single(graph.Cycles));
        Assert.Equal(["b"], graph.TopologicalOrder.Select(b => b.Name));
        Assert.Equal(-1, graph.Level("a"));
    }

    [Fact]
    public void TwoSeparateCycles_AreEachReportedOnceWithTheShortestPath()
    {
        // x <-> y, and p -> q -> r -> p with a chord r -> q making q -> r -> q the shortest through q but not through p.
        var graph = Build(("x", ["y"]), ("y", ["x"]), ("p", ["r"]), ("q", ["p", "r"]), ("r", ["q"]), ("after", ["r"]));

        Assert.False(graph.IsAcyclic);
        Assert.Equal([["x", "y", "x"], ["p", "q", "r", "p"]], graph.Cycles.Select(c => c.ToArray()));
        Assert.DoesNotContain(graph.TopologicalOrder, b => b.Name == "after");
    }

    [Fact]
    public void LongChain_DoesNotOverflowTheStack()
    {
        const int count = 50_000;
        var blocks = Enumerable.Range(0, count).Select(i => ($"b{i}", i == 0 ? Array.Empty<string>() : [$"b{i - 1}"])).ToList();
        blocks[0] = ("b0", [$"b{count - 1}"]);
        var graph = Build([.. blocks]);

        var cycle = Assert.Single(graph.Cycles);
        Assert.Equal(count + 1, cycle.Count);
    }

    [Fact]
    public void UnknownUpstreamNames_AreIgnoredByTheGraph()
    {
        var graph = Build(("a", ["ghost"]));
        Assert.Empty(graph.Upstream("a"));
        Assert.Throws<KeyNotFoundException>(() => graph.Upstream("ghost"));
    }

    [Fact]
    public void Render_MermaidAndDot_ShowEdgesAndShapes()
    {
        var blocks = new[]
        {
            Block("list", fanOut: true),
            Block("each"),
            Block("maybe", when: "{{ blocks.each.ok }}"),
        };
        var graph = PipelineGraph.Build(blocks, new Dictionary<string, IReadOnlyCollection<string>> { ["each"] = ["list"], ["maybe"] = ["each"] });

        Assert.Equal(
            """
            flowchart LR
              b_list[["list<br/>csv.read"]]
              b_each["each<br/>csv.read"]
              b_maybe{{"maybe<br/>csv.read"}}
              b_list --> b_each
              b_each --> b_maybe

            """.ReplaceLineEndings("\n"),
            GraphRenderer.Render("p", graph, GraphFormat.Mermaid));

        var dot = GraphRenderer.Render("my \"p\"", graph, GraphFormat.Dot);
        Assert.StartsWith("digraph \"my \\\"p\\\"\" {", dot, StringComparison.Ordinal);
        Assert.Contains("\"list\" -> \"each\";", dot, StringComparison.Ordinal);
        Assert.Contains("\"list\" [label=\"list\\ncsv.read\", shape=box3d];", dot, StringComparison.Ordinal);
        Assert.Contains("shape=hexagon", dot, StringComparison.Ordinal);

        var text = GraphRenderer.Render("p", graph, GraphFormat.Text);
        Assert.StartsWith("p: 3 blocks, 3 levels\nlevel 0\n", text, StringComparison.Ordinal);
        Assert.Contains("each   csv.read  <- list", text, StringComparison.Ordinal);
        Assert.Contains("[when {{ blocks.each.ok }}]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Mermaid_BlockNamedEnd_StillRenders()
    {
        var graph = PipelineGraph.Build([Block("start"), Block("end")], new Dictionary<string, IReadOnlyCollection<string>> { ["end"] = ["start"] });
        Assert.Contains("  b_start --> b_end\n", GraphRenderer.Render("p", graph, GraphFormat.Mermaid), StringComparison.Ordinal);
    }

    private static PipelineGraph Build(params (string Name, string[] Upstream)[] spec) =>
        PipelineGraph.Build(
            [.. spec.Select(s => Block(s.Name))],
            spec.ToDictionary(s => s.Name, s => (IReadOnlyCollection<string>)s.Upstream));

    private static BlockDefinition Block(string name, bool fanOut = false, string? when = null) => new()
    {
        Name = name,
        Location = new SourceLocation("p.yaml", 1, 1),
        Uses = new BlockUses(BlockKind.BuiltIn, "csv.read"),
        UsesLocation = new SourceLocation("p.yaml", 1, 1),
        Retry = RetryPolicy.Default,
        FanOut = fanOut,
        When = when,
    };
}

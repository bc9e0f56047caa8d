namespace Duraflow.Architecture.Tests;

/// <summary>The namespaces of src/ form layers that depend one way only (docs/architecture.md).</summary>
public sealed class LayerTests
{
    private static readonly Lazy<NamespaceGraph> Graph = new(NamespaceGraph.OfProducts);

    [Fact]
    public void No_namespace_reaches_itself_through_others()
    {
        var cycles = Graph.Value.Cycles();

        Assert.True(cycles.Count == 0, "namespace cycles: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c))));
    }

    [Fact]
    public void Every_namespace_uses_only_lower_layers()
    {
        var violations = Layers.Violations(Graph.Value.Edges, Layers.BottomUp);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void The_graph_sees_the_uses_that_the_layers_rely_on()
    {
        // A reader that missed method bodies or signatures would pass every rule above by seeing nothing.
        var edges = Graph.Value.Edges;

        Assert.Contains(("Duraflow.Engine.Runtime", "Duraflow.Engine.Runs"), edges.Keys);
        Assert.Contains(("Duraflow.Engine.Workers", "Duraflow.Engine.Runtime"), edges.Keys);
        Assert.Contains(("Duraflow.Blocks.Scripts", "Duraflow.Blocks"), edges.Keys);
        Assert.Contains(("Duraflow.Api.Http", "Duraflow.Engine.Runtime"), edges.Keys);
        Assert.Contains(("Duraflow.Cli.Commands", "Duraflow.Engine.Hosting"), edges.Keys);
    }

    [Theory]
    [InlineData("Duraflow.Engine.Runs", "Duraflow.Engine.Runtime", "a higher layer")]
    [InlineData("Duraflow.Engine.Storage.Sqlite", "Duraflow.Engine.Storage.Azure", "a sibling in the same layer")]
    [InlineData("Duraflow.Blocks", "Duraflow.Engine.Diagnostics", "a higher layer")]
    [InlineData("Duraflow.Engine.Runs", "Duraflow.Engine.Nowhere", "is in no layer")]
    public void A_planted_back_arrow_is_reported_with_its_example(string from, string to, string expected)
    {
        var edges = new Dictionary<(string, string), string>(Graph.Value.Edges) { [(from, to)] = "Planted.From -> Planted.To" };

        var violations = Layers.Violations(edges, Layers.BottomUp);

        var violation = Assert.Single(violations);
        Assert.Contains(expected, violation, StringComparison.Ordinal);
        Assert.Contains("Planted.From -> Planted.To", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_planted_cycle_is_found()
    {
        var graph = new NamespaceGraph();
        graph.Add("Duraflow.A", "Duraflow.B", "A -> B");
        graph.Add("Duraflow.B", "Duraflow.C", "B -> C");
        graph.Add("Duraflow.C", "Duraflow.A", "C -> A");
        graph.Add("Duraflow.C", "Duraflow.D", "C -> D");

        Assert.Equal(["Duraflow.A", "Duraflow.B", "Duraflow.C"], Assert.Single(graph.Cycles()));
    }
}

namespace Duraflow.Architecture.Tests;

/// <summary>
/// The assemblies depend one way (docs/architecture.md): the Functions app and the duraflow command over the API, the
/// API over the durable runtime, that over the engine, the engine over the blocks. The two hosts are siblings: neither
/// references the other. The Functions app also references the durable runtime directly: it hosts its orchestrator and
/// activities as Durable Functions.
/// </summary>
public sealed class AssemblyTests
{
    private static readonly IReadOnlyList<IReadOnlyList<string>> BottomUp =
    [
        ["Duraflow.Blocks"],
        ["Duraflow.Engine"],
        ["Duraflow.Durable"],
        ["Duraflow.Api"],
        ["Duraflow.Functions", "duraflow"],
    ];

    private static int Rank(string assembly) => BottomUp.ToList().FindIndex(layer => layer.Contains(assembly));

    private static IEnumerable<string> ProductReferences(string file)
    {
        var module = ProductAssemblies.Module(file);
        return module.AssemblyReferences.Select(r => r.Name).Where(n => Rank(n) >= 0).Order(StringComparer.Ordinal);
    }

    [Fact]
    public void Every_product_assembly_is_placed_in_a_layer()
    {
        Assert.All(ProductAssemblies.Modules, m => Assert.True(Rank(m.Assembly.Name.Name) >= 0, m.Assembly.Name.Name));
    }

    [Theory]
    [InlineData("Duraflow.Blocks.dll")]
    [InlineData("Duraflow.Engine.dll")]
    [InlineData("Duraflow.Durable.dll")]
    [InlineData("Duraflow.Api.dll")]
    [InlineData("Duraflow.Functions.dll")]
    [InlineData("duraflow.dll")]
    public void An_assembly_references_only_lower_ones(string file)
    {
        var self = ProductAssemblies.Module(file).Assembly.Name.Name;

        var upward = ProductReferences(file).Where(r => Rank(r) >= Rank(self)).ToList();

        Assert.True(upward.Count == 0, $"{self} references {string.Join(", ", upward)}, which is not below it");
    }

    [Theory]
    [InlineData("Duraflow.Functions.dll")]
    [InlineData("duraflow.dll")]
    public void Both_hosts_serve_the_api_library(string file)
    {
        Assert.Contains("Duraflow.Api", ProductReferences(file));
    }

    [Fact]
    public void The_functions_app_hosts_the_durable_runtime()
    {
        Assert.Contains("Duraflow.Durable", ProductReferences("Duraflow.Functions.dll"));
    }
}

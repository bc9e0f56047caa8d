using Duraflow.Blocks.Compiled;
using Duraflow.Blocks.Tests.Samples;

namespace Duraflow.Blocks.Tests;

/// <summary>Finding a <c>class:</c> block by name among loaded assemblies, with hints when the name is wrong.</summary>
public class ClassBlockCatalogTests
{
    private static readonly ClassBlockCatalog Catalog = new([typeof(CustomerTotals).Assembly]);

    [Fact]
    public void A_block_is_found_by_its_full_name_with_or_without_its_assembly()
    {
        var plain = Catalog.Find("Duraflow.Blocks.Tests.Samples.CustomerTotals");
        var qualified = Catalog.Find("Duraflow.Blocks.Tests.Samples.CustomerTotals, Duraflow.Blocks.Tests");

        Assert.Equal(ClassBlockProblem.None, plain.Problem);
        Assert.Equal(typeof(CustomerTotals), plain.Block!.Type);
        Assert.Same(plain.Block.Type, qualified.Block!.Type);
    }

    [Fact]
    public void A_misspelt_name_suggests_the_closest_class_and_lists_the_blocks()
    {
        var lookup = Catalog.Find("Duraflow.Blocks.Tests.Samples.CustomerTotalls");

        Assert.Equal(ClassBlockProblem.UnknownClass, lookup.Problem);
        Assert.Null(lookup.Block);
        Assert.StartsWith(
            "there is no public class Duraflow.Blocks.Tests.Samples.CustomerTotalls in Duraflow.Blocks.Tests.dll "
            + "(did you mean 'Duraflow.Blocks.Tests.Samples.CustomerTotals'?); the blocks ",
            lookup.Error,
            StringComparison.Ordinal);
        Assert.Contains("Duraflow.Blocks.Tests.Samples.AsyncSummary, Duraflow.Blocks.Tests.Samples.CustomerTotals, ", lookup.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("TwoRuns", lookup.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_in_another_namespace_is_suggested_by_its_name()
    {
        var lookup = Catalog.Find("Shop.Blocks.AsyncSummary");

        Assert.Contains("(did you mean 'Duraflow.Blocks.Tests.Samples.AsyncSummary'?)", lookup.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_that_is_not_a_block_says_why()
    {
        var lookup = Catalog.Find("Duraflow.Blocks.Tests.Samples.TwoRuns");

        Assert.Equal(ClassBlockProblem.NotABlock, lookup.Problem);
        Assert.Equal("class Duraflow.Blocks.Tests.Samples.TwoRuns has 2 public RunAsync/Run methods (Run(), RunAsync(int)); keep exactly one", lookup.Error);
    }

    [Fact]
    public void An_unknown_assembly_name_lists_the_loaded_ones()
    {
        var lookup = Catalog.Find("Duraflow.Blocks.Tests.Samples.CustomerTotals, Shop.Blocks");

        Assert.Equal(ClassBlockProblem.UnknownClass, lookup.Problem);
        Assert.StartsWith("no loaded assembly is called Shop.Blocks (loaded: Duraflow.Blocks.Tests)", lookup.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_catalog_says_that_nothing_is_loaded()
    {
        var lookup = ClassBlockCatalog.Empty.Find("Shop.Totals");

        Assert.Equal("there is no class Shop.Totals: no compiled blocks are loaded", lookup.Error);
    }
}

using Duraflow.Blocks.Catalog;

namespace Duraflow.Blocks.Tests;

public class BlockUsesTests
{
    [Theory]
    [InlineData("script:blocks/clean.csx", BlockKind.Script, "blocks/clean.csx")]
    [InlineData("sql: sql/totals.sql", BlockKind.Sql, "sql/totals.sql")]
    [InlineData("class:Acme.Blocks.LoadOrders", BlockKind.Class, "Acme.Blocks.LoadOrders")]
    [InlineData("class:Acme.Blocks.LoadOrders, Acme.Blocks", BlockKind.Class, "Acme.Blocks.LoadOrders, Acme.Blocks")]
    [InlineData("csv.read", BlockKind.BuiltIn, "csv.read")]
    public void TryParse_ValidValues_GivesKindAndTarget(string value, object kind, string target)
    {
        Assert.True(BlockUses.TryParse(value, out var uses, out var error), error);
        Assert.Equal(new BlockUses((BlockKind)kind, target), uses);
    }

    [Theory]
    [InlineData("csv.reed", "did you mean 'csv.read'?")]
    [InlineData("scrpt:blocks/a.csx", "did you mean 'script:'?")]
    [InlineData("script:blocks/a.cs", "must be a .csx file")]
    [InlineData("sql:", "a path is missing")]
    [InlineData("sql:../other/x.sql", "inside the pipeline folder")]
    [InlineData("sql:/etc/x.sql", "inside the pipeline folder")]
    [InlineData("class:NoNamespace", "not a full type name")]
    [InlineData("sql:a\u0000.sql", "control character")]
    public void TryParse_InvalidValues_ExplainTheFix(string value, string expected)
    {
        Assert.False(BlockUses.TryParse(value, out var uses, out var error));
        Assert.Null(uses);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_RoundTripsThroughTryParse()
    {
        foreach (var value in new[] { "script:blocks/a.csx", "sql:sql/b.sql", "class:A.B", "json.write" })
        {
            Assert.True(BlockUses.TryParse(value, out var uses, out _));
            Assert.Equal(value, uses!.ToString());
        }
    }
}

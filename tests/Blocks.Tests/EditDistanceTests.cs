using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Tests;

public class EditDistanceTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("retry", "retry", 0)]
    [InlineData("retyr", "retry", 1)]
    [InlineData("ab", "ba", 1)]
    [InlineData("upsteam", "upstream", 1)]
    [InlineData("kitten", "sitting", 3)]
    public void Between_KnownPairs_CountsSwapsAsOneEdit(string a, string b, int expected) =>
        Assert.Equal(expected, EditDistance.Between(a, b));

    [Fact]
    public void ClosestMatch_NearTypo_IsSuggested_FarWord_IsNot()
    {
        string[] keys = ["name", "uses", "upstream", "timeout"];
        Assert.Equal("upstream", EditDistance.ClosestMatch("upsteam", keys));
        Assert.Equal("timeout", EditDistance.ClosestMatch("timeot", keys));
        Assert.Null(EditDistance.ClosestMatch("parallelism", keys));
    }

    [Fact]
    public void ClosestMatch_LongSharedStart_IsSuggestedDespiteManyEdits()
    {
        Assert.Equal("retry", EditDistance.ClosestMatch("retries", ["retry", "timeout"]));
        Assert.Equal("did you mean 'retry'? ", EditDistance.DidYouMean("retries", ["retry"]));
        Assert.Equal(string.Empty, EditDistance.DidYouMean("colour", ["retry"]));
    }
}

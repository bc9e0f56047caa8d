using Duraflow.Blocks.BuiltIns;

namespace Duraflow.Blocks.Tests;

public class BlobPatternTests
{
    [Theory]
    [InlineData("orders/*.csv", "orders/2026-03-04.csv", true)]
    [InlineData("orders/*.csv", "orders/2026/03-04.csv", false)]
    [InlineData("orders/*.csv", "orders/2026-03-04.csv.tmp", false)]
    [InlineData("orders/**.csv", "orders/2026/03-04.csv", true)]
    [InlineData("orders/day-?.csv", "orders/day-7.csv", true)]
    [InlineData("orders/day-?.csv", "orders/day-17.csv", false)]
    [InlineData("orders/(a)+.csv", "orders/(a)+.csv", true)]
    [InlineData("orders/[a].*", "orders/[a].json", true)]
    [InlineData("orders/[a].*", "orders/a.json", false)]
    public void Wildcards_match_like_local_globs(string pattern, string name, bool matches) =>
        Assert.Equal(matches, new BlobPattern(pattern).Matches(name));

    [Theory]
    [InlineData("orders/2026-*/part-?.csv", "orders/2026-", true)]
    [InlineData("orders/2026-03-04.csv", "orders/2026-03-04.csv", false)]
    public void The_prefix_is_the_text_before_the_first_wildcard(string pattern, string prefix, bool isGlob)
    {
        var blob = new BlobPattern(pattern);

        Assert.Equal(prefix, blob.Prefix);
        Assert.Equal(isGlob, blob.IsGlob);
    }
}

using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary><c>duraflow run</c> twice on a cached pipeline, then <c>duraflow cache list|clear</c>, as a user runs them.</summary>
public sealed class CacheCommandTests : IDisposable
{
    private readonly TempFolder _project = new();

    public CacheCommandTests()
    {
        _project.Write("duraflow.yaml", "");
        _project.Write("pipelines/cached/pipeline.yaml", """
            name: cached
            blocks:
              - { name: a, uses: script:a.csx, cache: true }
              - { name: b, uses: script:b.csx, cache: { ttl: 1d } }
            """);
        _project.Write("pipelines/cached/a.csx", "return 1;\n");
        _project.Write("pipelines/cached/b.csx", "return Input<int>(\"a\") + 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_second_run_shows_its_blocks_cached_and_the_cache_is_listed_and_cleared_by_block()
    {
        var first = await CliRunner.RunAsync(_project.Root, "run", "cached");
        var second = await CliRunner.RunAsync(_project.Root, "run", "cached");
        var listed = await CliRunner.RunAsync(_project.Root, "cache", "list");
        var json = await CliRunner.RunAsync(_project.Root, "cache", "list", "--pipeline", "cached", "--block", "b", "--json");
        var cleared = await CliRunner.RunAsync(_project.Root, "cache", "clear", "--pipeline", "cached", "--block", "a");
        var left = await CliRunner.RunAsync(_project.Root, "cache", "list", "--json");
        var all = await CliRunner.RunAsync(_project.Root, "cache", "clear");
        var none = await CliRunner.RunAsync(_project.Root, "cache", "list");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Matches(@"(?m)^a: cached \(in \S+, output of run cached-\S+\)$", second.Out);
        Assert.Matches(@"(?m)^b: cached \(in \S+, output of run cached-\S+\)$", second.Out);
        Assert.Matches(@"cached\s+a\s+\S+ attempt 1\s", listed.Out);
        Assert.Matches(@"cached\s+b\s+\S+ attempt 1\s.*\d\d:\d\d:\d\d\s+[0-9a-f]{12}", listed.Out);
        using (var document = JsonDocument.Parse(json.Out))
        {
            var entry = Assert.Single(document.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal("b", entry.GetProperty("block").GetString());
            Assert.Equal(JsonValueKind.String, entry.GetProperty("expires_at").ValueKind);
        }

        Assert.Equal("cleared 1 cached output(s) of block a of pipeline cached", cleared.OutLines[^1]);
        using (var document = JsonDocument.Parse(left.Out))
        {
            Assert.Equal("b", Assert.Single(document.RootElement.GetProperty("items").EnumerateArray()).GetProperty("block").GetString());
        }

        Assert.Equal("cleared 1 cached output(s)", all.OutLines[^1]);
        Assert.Equal("no cached outputs", none.OutLines[^1]);
    }

    [Theory]
    [InlineData("list", "--pipeline", "../x", "--pipeline '../x' is not a pipeline name")]
    [InlineData("clear", "--block", "", "--block '' is not a block name")]
    public async Task A_bad_filter_is_a_usage_error(string action, string option, string value, string says)
    {
        var result = await CliRunner.RunAsync(_project.Root, "cache", action, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(says, result.Error, StringComparison.Ordinal);
    }
}

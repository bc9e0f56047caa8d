using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Tests.Loading;

/// <summary>cache: in pipeline.yaml, read into the plan's policy or refused at the line and column that is wrong.</summary>
public sealed class CacheReaderTests
{
    private static string Pipeline(string cache, string uses = "csv.read, with: { path: a.csv }") =>
        $"name: p\nparameters:\n  day: {{ type: string, default: mon }}\nblocks:\n  - {{ name: a, uses: {uses}, cache: {cache} }}\n";

    [Theory]
    [InlineData("true", null, null, "code,settings,inputs,params")]
    [InlineData("{ ttl: 1h }", "01:00:00", null, "code,settings,inputs,params")]
    [InlineData("{ policy: inputs }", null, null, "inputs")]
    [InlineData("{ policy: [params, code] }", null, null, "code,params")]
    [InlineData("{ key: '{{ params.day }}', policy: [] }", null, "{{ params.day }}", "")]
    public void Cache_settings_become_the_blocks_policy(string cache, string? ttl, string? key, string parts)
    {
        var result = PipelineFixture.Check(Pipeline(cache));

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var policy = result.Definition!.Blocks.Single().Cache!;
        Assert.Equal(ttl, policy.Ttl?.ToString());
        Assert.Equal(key, policy.Key);
        Assert.Equal(parts, string.Join(",", policy.EffectiveParts));
    }

    [Fact]
    public void Cache_false_is_no_cache() =>
        Assert.Null(PipelineFixture.Check(Pipeline("false")).Definition!.Blocks.Single().Cache);

    [Theory]
    [InlineData("{ policy: [inputs, bogus] }", "5:81: error DF017: block 'a': cache policy 'bogus' is not a part of the cache key; use any of code, settings, inputs, params")]
    [InlineData("{ policy: [inputs, inputs] }", "5:81: error DF017: block 'a': cache policy names 'inputs' twice")]
    [InlineData("{ policy: [] }", "5:72: error DF017: block 'a': a cache policy with no parts and no 'key' would reuse one output for every run")]
    [InlineData("{ ttl: 0s }", "5:69: error DF006: cache 'ttl' of block 'a' '0s' is not a duration")]
    [InlineData("{ ttl: soon }", "5:69: error DF006")]
    [InlineData("{ tll: 1h }", "5:64: error DF005: unknown key 'tll' in 'cache' of block 'a'; did you mean 'ttl'?")]
    [InlineData("{ key: [a] }", "5:69: error DF011")]
    [InlineData("maybe", "5:62: error DF011")]
    public void Bad_cache_settings_are_refused_where_they_are_written(string cache, string expected)
    {
        var result = PipelineFixture.Check(Pipeline(cache));

        Assert.False(result.IsValid);
        Assert.Contains(result.Diagnostics, d => d.ToString().Contains($"p/pipeline.yaml:{expected}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("wait.for, with: { duration: 1m }", "cannot be cached; its output is when its wait ended")]
    [InlineData("csv.read, repeat: { every: 1m, until: 'output.done' }, with: { path: a.csv }", "a block that repeats until a condition holds cannot be cached")]
    public void Blocks_whose_output_depends_on_when_they_ran_cannot_be_cached(string uses, string expected)
    {
        var result = PipelineFixture.Check(Pipeline("true", uses));

        Assert.Contains(result.Diagnostics, d => d.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void The_parts_are_named_in_one_place() =>
        Assert.Equal(["code", "settings", "inputs", "params"], CacheParts.All);

    [Fact]
    public void A_cached_script_that_uses_a_checkpoint_is_refused()
    {
        var result = PipelineFixture.Check(
            "name: p\nblocks:\n  - { name: a, uses: script:a.csx, cache: true }\n",
            ("a.csx", "var since = await Checkpoint<long?>(\"last_id\"); SetCheckpoint(\"last_id\", 5L); return 1;"));

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("reads or sets a checkpoint, so it cannot be cached", StringComparison.Ordinal));
    }
}

using System.Net;
using Duraflow.Engine.Runs;

namespace Duraflow.Api.Tests.Http;

/// <summary><c>GET /api/cache</c> and <c>DELETE /api/cache</c>, the cached block in a run's JSON, and the filters they refuse.</summary>
public sealed class ApiCacheTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public ApiCacheTests()
    {
        _project.Write("pipelines/cached/pipeline.yaml", """
            name: cached
            blocks:
              - { name: a, uses: "script:a.csx", cache: { ttl: 1h } }
              - { name: b, uses: "script:b.csx", cache: true }
            """);
        _project.Write("pipelines/cached/a.csx", "return 1;\n");
        _project.Write("pipelines/cached/b.csx", "return Input<int>(\"a\") + 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Entries_are_listed_by_block_a_cached_block_names_its_run_and_a_clear_makes_the_next_run_compute()
    {
        var first = await _project.FinishAsync(await _project.StartAsync("cached"));
        var secondId = await _project.StartAsync("cached");
        await _project.FinishAsync(secondId);
        var second = await _project.GetAsync($"/api/runs/{secondId}");
        var all = await _project.GetAsync("/api/cache");
        var onlyA = await _project.GetAsync("/api/cache?pipeline=cached&block=a");
        var cleared = await ReadDeleteAsync("/api/cache?pipeline=cached&block=a");
        var third = await _project.FinishAsync(await _project.StartAsync("cached"));

        var blocks = second.GetProperty("blocks").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
        Assert.Equal(("cached", first.RunId), (blocks["a"].GetProperty("status").GetString(), blocks["a"].GetProperty("cached_from").GetString()));
        Assert.Equal("cached", blocks["b"].GetProperty("status").GetString());
        Assert.Equal(["a", "b"], all.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("block").GetString()));
        var entry = Assert.Single(onlyA.GetProperty("items").EnumerateArray());
        Assert.Equal((first.RunId, "a", 1), (entry.GetProperty("run_id").GetString(), entry.GetProperty("block_key").GetString(), entry.GetProperty("attempt").GetInt32()));
        Assert.Equal(TimeSpan.FromHours(1), entry.GetProperty("expires_at").GetDateTimeOffset() - entry.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(64, entry.GetProperty("key").GetString()!.Length);
        Assert.Equal(1, cleared.GetProperty("cleared").GetInt32());
        Assert.Equal((BlockStatus.Succeeded, BlockStatus.Cached), (third.Block("a").Status, third.Block("b").Status));
    }

    [Theory]
    [InlineData("?pipline=cached", "pipline", "is not a filter of the cache")]
    [InlineData("?pipeline=cached&pipeline=other", "pipeline", "is given more than once")]
    [InlineData("?block=", "block", "is not a block name")]
    [InlineData("?pipeline=..%2F..", "pipeline", "is not a pipeline name")]
    [InlineData("?block=A%27%20OR%20%271%27%3D%271", "block", "is not a block name")]
    public async Task A_bad_filter_is_refused_and_clears_nothing(string query, string field, string says)
    {
        await _project.FinishAsync(await _project.StartAsync("cached"));

        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri("/api/cache" + query, UriKind.Relative));
        var response = await _project.Client.SendAsync(request);
        var listed = await _project.Client.GetAsync(new Uri("/api/cache" + query, UriKind.Relative));

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(says, problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(field, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        await ApiTestProject.ProblemAsync(listed, HttpStatusCode.BadRequest);
        Assert.Equal(2, (await _project.GetAsync("/api/cache")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_cache_needs_the_key_like_every_other_endpoint()
    {
        using var anonymous = _project.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri("/api/cache", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/cache", UriKind.Relative))).StatusCode);
    }

    private async Task<System.Text.Json.JsonElement> ReadDeleteAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(path, UriKind.Relative));
        var response = await _project.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ApiTestProject.ReadAsync(response);
    }
}

using System.Net;
using System.Net.Http.Json;
using Duraflow.Tests;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Duraflow.Api.Tests.Http;

/// <summary>Run starts per caller and minute (<c>Duraflow:RateLimits:RunStartsPerMinute</c>): a burst past it is a 429 with Retry-After, for that caller only.</summary>
public sealed class ApiRateLimitTests : IDisposable
{
    private const string Key = "rate-limit-key-9d2e";
    private readonly TempFolder _folder = new();

    public ApiRateLimitTests()
    {
        _folder.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _folder.Write("pipelines/p/blocks/a.csx", "return 1;\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_burst_of_starts_past_the_limit_is_429_with_retry_after_for_that_caller_only_and_reads_go_on()
    {
        using var factory = Factory("3");
        using var admin = Client(factory, Key);
        var created = await admin.PostAsJsonAsync(new Uri("/api/keys", UriKind.Relative), new { name = "ci", role = "operator" });
        var ciKey = (await ApiTestProject.ReadAsync(created)).GetProperty("key").GetString()!;
        using var ci = Client(factory, ciKey);

        var burst = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ci.PostAsJsonAsync(new Uri("/api/pipelines/p/runs", UriKind.Relative), new { })));
        var otherCaller = await admin.PostAsJsonAsync(new Uri("/api/pipelines/p/runs", UriKind.Relative), new { });
        var read = await ci.GetAsync(new Uri("/api/runs", UriKind.Relative));

        Assert.Equal(3, burst.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        var refused = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(2, refused.Count);
        foreach (var response in refused)
        {
            var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.TooManyRequests);
            Assert.StartsWith("key:ci started 3 runs in the last minute", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        }

        Assert.Equal(HttpStatusCode.Accepted, otherCaller.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(4, (await ApiTestProject.ReadAsync(read)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Zero_turns_the_limit_off()
    {
        using var factory = Factory("0");
        using var admin = Client(factory, Key);

        var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => admin.PostAsJsonAsync(new Uri("/api/pipelines/p/runs", UriKind.Relative), new { })));

        Assert.All(burst, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("lots")]
    [InlineData("2000000")]
    public void A_limit_that_is_not_a_count_stops_the_app_naming_the_setting(string value)
    {
        using var factory = Factory(value);

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains($"Duraflow__RateLimits__RunStartsPerMinute '{value}' must be a whole number", error.Message, StringComparison.Ordinal);
    }

    private WebApplicationFactory<ApiFactory> Factory(string perMinute) =>
        new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _folder.Root);
            b.UseSetting("Duraflow:ApiKey", Key);
            b.UseSetting("Duraflow:LocalWorkers", "false");
            b.UseSetting("Duraflow:Schedules", "false");
            b.UseSetting("Duraflow:RateLimits:RunStartsPerMinute", perMinute);
        });

    private static HttpClient Client(WebApplicationFactory<ApiFactory> factory, string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}

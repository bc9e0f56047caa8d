using System.Net;
using Duraflow.Engine.Runs;

namespace Duraflow.Api.Tests.Http;

/// <summary><c>POST /api/runs/purge</c>: what it removes and keeps, and what it refuses.</summary>
public sealed class ApiPurgeTests : IDisposable
{
    private const string Path = "/api/runs/purge";
    private readonly ApiTestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Purge_RemovesFinishedRunsOfThePipeline_KeepsUnfinishedOnes_AndADryRunOnlyCounts()
    {
        var hello = await _project.StartAsync("hello", new { parameters = new { n = 1 } });
        Assert.Equal(RunStatus.Succeeded, (await _project.FinishAsync(hello)).Status);
        var other = await _project.StartAsync("other");
        Assert.Equal(RunStatus.Succeeded, (await _project.FinishAsync(other)).Status);
        var pending = await _project.StartAsync("hello", new { parameters = new { n = 2 } });
        await Task.Delay(5);

        var (dryResponse, dry) = await _project.PostAsync(Path, new { older_than = "1ms", dry_run = true });
        var (response, purged) = await _project.PostAsync(Path, new { older_than = "1ms", pipeline = "hello" });

        Assert.Equal(HttpStatusCode.OK, dryResponse.StatusCode);
        Assert.Equal((true, 2, 0), (dry.GetProperty("dry_run").GetBoolean(), dry.GetProperty("matched").GetInt32(), dry.GetProperty("purged").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((1, 0, false), (purged.GetProperty("purged").GetInt32(), purged.GetProperty("kept").GetInt32(), purged.GetProperty("more").GetBoolean()));
        Assert.Equal("hello", purged.GetProperty("pipeline").GetString());
        Assert.True(purged.GetProperty("ended_before").GetDateTimeOffset() < DateTimeOffset.UtcNow);
        await _project.GetAsync($"/api/runs/{hello}", HttpStatusCode.NotFound);
        var listed = (await _project.GetAsync("/api/runs")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("run_id").GetString()).ToList();
        Assert.Equal([pending, other], listed);
    }

    [Fact]
    public async Task Purge_WithALimit_StopsThereAndSaysMoreAreLeft()
    {
        for (var i = 0; i < 3; i++)
        {
            await _project.FinishAsync(await _project.StartAsync("other"));
        }

        await Task.Delay(5);
        var (_, first) = await _project.PostAsync(Path, new { older_than = "1ms", limit = 2 });
        var (_, rest) = await _project.PostAsync(Path, new { older_than = "1ms", limit = 2 });

        Assert.Equal((2, true), (first.GetProperty("purged").GetInt32(), first.GetProperty("more").GetBoolean()));
        Assert.Equal((1, false), (rest.GetProperty("purged").GetInt32(), rest.GetProperty("more").GetBoolean()));
    }

    [Theory]
    [InlineData("{}", "older_than", "is required")]
    [InlineData("{\"older_than\": null}", "older_than", "is required")]
    [InlineData("{\"older_than\": 30}", "older_than", "must be a duration string such as \"30d\", not 30")]
    [InlineData("{\"older_than\": [\"30d\"]}", "older_than", "not an array")]
    [InlineData("{\"older_than\": \"\"}", "older_than", "'' is not a duration")]
    [InlineData("{\"older_than\": \"-1d\"}", "older_than", "'-1d' is not a duration")]
    [InlineData("{\"older_than\": \"0s\"}", "older_than", "would purge runs that have not ended yet")]
    [InlineData("{\"older_than\": \"36501d\"}", "older_than", "longer than 36500d (100 years)")]
    [InlineData("{\"older_than\": \"99999999999999999999999d\"}", "older_than", "is not a duration")]
    [InlineData("{\"older_than\": \"30d\", \"pipeline\": \"\"}", "pipeline", "must be a pipeline's name, not an empty string")]
    [InlineData("{\"older_than\": \"30d\", \"pipeline\": 7}", "pipeline", "must be a pipeline's name, not 7")]
    [InlineData("{\"older_than\": \"30d\", \"dry_run\": \"yes\"}", "dry_run", "must be true or false")]
    [InlineData("{\"older_than\": \"30d\", \"dry_run\": 1}", "dry_run", "must be true or false, not 1")]
    [InlineData("{\"older_than\": \"30d\", \"limit\": 0}", "limit", "must be a whole number from 1 to 10000")]
    [InlineData("{\"older_than\": \"30d\", \"limit\": -5}", "limit", "must be a whole number from 1 to 10000")]
    [InlineData("{\"older_than\": \"30d\", \"limit\": 10001}", "limit", "must be a whole number from 1 to 10000")]
    [InlineData("{\"older_than\": \"30d\", \"limit\": 1e12}", "limit", "must be a whole number from 1 to 10000")]
    [InlineData("{\"older_than\": \"30d\", \"limit\": 2.5}", "limit", "must be a whole number from 1 to 10000")]
    [InlineData("{\"older_than\": \"30d\", \"limit\": \"10\"}", "limit", "not the string \"10\"")]
    [InlineData("{\"older_than\": \"30d\", \"olderThan\": \"1d\"}", "olderThan", "is not a field")]
    [InlineData("{\"older_than\": \"30d\", \"before\": \"2026-01-01\"}", "before", "a purge request takes older_than, pipeline, dry_run, limit")]
    [InlineData("[\"30d\"]", "body", "must be a JSON object")]
    public async Task Purge_ABadBody_Is400NamingTheField_AndPurgesNothing(string body, string field, string message)
    {
        var run = await _project.StartAsync("other");
        await _project.FinishAsync(run);

        var response = await _project.PostRawAsync(Path, body, "application/json");

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await _project.GetAsync($"/api/runs/{run}");
    }

    [Fact]
    public async Task Purge_EveryBadFieldIsNamedAtOnce_NoBodyNeedsTheAge_AndNonJsonIs415()
    {
        var several = await _project.PostRawAsync(Path, "{\"older_than\": 5, \"limit\": 0, \"dry_run\": null}", "application/json");
        var none = await _project.Client.PostAsync(new Uri(Path, UriKind.Relative), null);
        var form = await _project.PostRawAsync(Path, "older_than=30d", "application/x-www-form-urlencoded");

        var errors = (await ApiTestProject.ProblemAsync(several, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["older_than", "limit"], errors.Select(e => e.GetProperty("field").GetString()));
        Assert.Equal("string", errors[0].GetProperty("expected").GetString());
        var missing = Assert.Single((await ApiTestProject.ProblemAsync(none, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray());
        Assert.Equal("older_than", missing.GetProperty("field").GetString());
        await ApiTestProject.ProblemAsync(form, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Purge_WithoutTheKey_Is401_AndPurgesNothing()
    {
        var run = await _project.StartAsync("other");
        await _project.FinishAsync(run);
        using var anonymous = _project.Factory.CreateClient();

        var response = await anonymous.PostAsync(new Uri(Path, UriKind.Relative), new StringContent("{\"older_than\": \"1ms\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await _project.GetAsync($"/api/runs/{run}");
    }
}

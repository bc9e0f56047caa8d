using System.Net;

namespace Duraflow.Api.Tests.Http;

/// <summary>The backfill endpoints: create, list, read and cancel, and each bad request refused with its field.</summary>
public sealed class ApiBackfillTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public ApiBackfillTests()
    {
        _project.Write("pipelines/nightly/pipeline.yaml", """
            name: nightly
            concurrency: 2
            parameters:
              region: { type: string, default: all }
              token: { type: string, secret: true }
            triggers:
              - schedule: { cron: "0 2 * * *", timezone: UTC }
            blocks:
              - { name: a, uses: "script:a.csx" }
            """);
        _project.Write("pipelines/nightly/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_backfill_is_created_with_its_first_runs_listed_read_and_cancelled_with_them()
    {
        var (created, body) = await _project.PostAsync("/api/pipelines/nightly/backfills",
            new { from = "2026-11-01", to = "2026-11-11", concurrency = 1, parameters = new { region = "eu", token = "s3cret" } });
        Assert.True(created.StatusCode == HttpStatusCode.Accepted, body.GetRawText());
        var id = body.GetProperty("id").GetString()!;
        var listed = await _project.GetAsync("/api/backfills?pipeline=nightly");
        var read = await _project.GetAsync($"/api/backfills/{id}");
        var (cancelled, cancelledBody) = await _project.PostAsync($"/api/backfills/{id}/cancel");
        var (again, againBody) = await _project.PostAsync($"/api/backfills/{id}/cancel");

        Assert.True(created.StatusCode == HttpStatusCode.Accepted, body.GetRawText());
        Assert.Equal(("running", 10, 1, 1), (body.GetProperty("status").GetString(), body.GetProperty("ticks").GetInt32(), body.GetProperty("started").GetInt32(), body.GetProperty("concurrency").GetInt32()));
        Assert.Equal("eu", body.GetProperty("parameters").GetProperty("region").GetString());
        Assert.Equal("***", body.GetProperty("parameters").GetProperty("token").GetString());
        Assert.DoesNotContain("s3cret", read.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("api-key", read.GetProperty("created_by").GetString());
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal((HttpStatusCode.Accepted, "cancelled"), (cancelled.StatusCode, cancelledBody.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.Accepted, "cancelled"), (again.StatusCode, againBody.GetProperty("status").GetString()));
        var runs = (await _project.GetAsync("/api/runs?pipeline=nightly")).GetProperty("items").EnumerateArray().ToList();
        var run = Assert.Single(runs);
        Assert.Matches("^nightly-20261101-020000-p[0-9a-f]{10}$", run.GetProperty("run_id").GetString());
        Assert.Matches("^cancell(ing|ed)$", run.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("nightly", """{ "to": "2026-11-02" }""", HttpStatusCode.BadRequest, "from", "is required")]
    [InlineData("nightly", """{ "from": 20261101, "to": "2026-11-02" }""", HttpStatusCode.BadRequest, "from", "is required: a date and time as text")]
    [InlineData("nightly", """{ "from": "2026-11-01", "to": "2026-11-02", "concurency": 1 }""", HttpStatusCode.BadRequest, "concurency", "did you mean 'concurrency'?")]
    [InlineData("nightly", """{ "from": "2026-11-01", "to": "2026-11-02", "concurrency": "two" }""", HttpStatusCode.BadRequest, "concurrency", "must be a whole number")]
    [InlineData("nightly", """{ "from": "2026-11-01", "to": "2026-11-02", "concurrency": 3 }""", HttpStatusCode.BadRequest, "concurrency", "a backfill can only lower it")]
    [InlineData("nightly", """{ "from": "yesterday", "to": "2026-11-02" }""", HttpStatusCode.BadRequest, "from", "is not a date and time")]
    [InlineData("nightly", """{ "from": "2026-11-02", "to": "2026-11-01" }""", HttpStatusCode.BadRequest, "to", "must be after 'from'")]
    [InlineData("nightly", """{ "from": "1990-01-01", "to": "2026-11-01" }""", HttpStatusCode.BadRequest, "to", "more than 10,000 ticks")]
    [InlineData("nightly", """{ "from": "2026-11-01", "to": "2026-11-02", "parameters": [1] }""", HttpStatusCode.BadRequest, "parameters", "must be an object")]
    [InlineData("nightly", """{ "from": "2026-11-01", "to": "2026-11-02", "parameters": { "regoin": "eu" } }""", HttpStatusCode.BadRequest, "parameters", "regoin")]
    [InlineData("hello", """{ "from": "2026-11-01", "to": "2026-11-02" }""", HttpStatusCode.BadRequest, "name", "has no schedule trigger")]
    [InlineData("nighty", """{ "from": "2026-11-01", "to": "2026-11-02" }""", HttpStatusCode.NotFound, null, "did you mean 'nightly'?")]
    [InlineData("nightly", "[1]", HttpStatusCode.BadRequest, null, "JSON object")]
    public async Task A_bad_backfill_request_is_refused_with_its_field_and_starts_nothing(string pipeline, string body, HttpStatusCode status, string? field, string says)
    {
        var response = await _project.PostRawAsync($"/api/pipelines/{pipeline}/backfills", body, "application/json");

        var problem = await ApiTestProject.ProblemAsync(response, status);
        Assert.Contains(says, problem.GetRawText(), StringComparison.Ordinal);
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("errors").EnumerateArray().First().GetProperty("field").GetString());
        }

        Assert.Empty((await _project.GetAsync("/api/backfills")).GetProperty("items").EnumerateArray());
        Assert.Empty((await _project.GetAsync("/api/runs")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_unknown_backfill_is_404_and_a_bad_pipeline_filter_400()
    {
        var unknown = await _project.Client.GetAsync(new Uri("/api/backfills/nope", UriKind.Relative));
        var (cancel, _) = await _project.PostAsync("/api/backfills/nope/cancel");
        var filter = await _project.Client.GetAsync(new Uri("/api/backfills?pipeline=..%2Fx", UriKind.Relative));

        await ApiTestProject.ProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        await ApiTestProject.ProblemAsync(filter, HttpStatusCode.BadRequest);
    }
}

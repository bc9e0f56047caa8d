using System.Net;

namespace Duraflow.Api.Tests.Http;

/// <summary><c>GET /api/schedules</c> and <c>POST /api/pipelines/{name}/schedules/pause|resume</c>, and what they refuse.</summary>
public sealed class ApiScheduleTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public ApiScheduleTests()
    {
        _project.Write("pipelines/nightly/pipeline.yaml", """
            name: nightly
            triggers:
              - schedule: { cron: "0 2 * * *", timezone: UTC, catch_up: all }
            blocks:
              - { name: pause, uses: wait.for, with: { duration: 1s } }
            """);
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_pipelines_schedules_are_listed_paused_by_the_caller_with_a_reason_and_resumed()
    {
        var before = Assert.Single((await _project.GetAsync("/api/schedules")).GetProperty("items").EnumerateArray());
        var (paused, pausedBody) = await _project.PostAsync("/api/pipelines/nightly/schedules/pause", new { reason = "warehouse upgrade" });
        var (again, againBody) = await _project.PostAsync("/api/pipelines/nightly/schedules/pause");
        var during = Assert.Single((await _project.GetAsync("/api/schedules")).GetProperty("items").EnumerateArray());
        var (resumed, resumedBody) = await _project.PostAsync("/api/pipelines/nightly/schedules/resume");
        var (_, resumedAgainBody) = await _project.PostAsync("/api/pipelines/nightly/schedules/resume");

        Assert.Equal("nightly", before.GetProperty("pipeline").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, before.GetProperty("paused").ValueKind);
        var schedule = Assert.Single(before.GetProperty("schedules").EnumerateArray());
        Assert.Equal(("0 2 * * *", "UTC", "all"), (schedule.GetProperty("cron").GetString(), schedule.GetProperty("timezone").GetString(), schedule.GetProperty("catch_up").GetString()));
        Assert.All(schedule.GetProperty("next").EnumerateArray(), t => Assert.Equal(2, t.GetDateTimeOffset().UtcDateTime.Hour));

        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.True(pausedBody.GetProperty("paused").GetBoolean());
        Assert.True(pausedBody.GetProperty("changed").GetBoolean());
        Assert.Equal("api-key", pausedBody.GetProperty("by").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False(againBody.GetProperty("changed").GetBoolean());
        Assert.Equal("warehouse upgrade", againBody.GetProperty("reason").GetString());
        Assert.Equal("warehouse upgrade", during.GetProperty("paused").GetProperty("reason").GetString());

        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal((false, true), (resumedBody.GetProperty("paused").GetBoolean(), resumedBody.GetProperty("changed").GetBoolean()));
        Assert.False(resumedAgainBody.GetProperty("changed").GetBoolean());
    }

    [Theory]
    [InlineData("nighty", "pause", null, HttpStatusCode.NotFound, null, "did you mean 'nightly'?")]
    [InlineData("hello", "pause", null, HttpStatusCode.BadRequest, "name", "pipeline 'hello' has no schedule trigger")]
    [InlineData("nightly", "pause", """{ "reasn": "x" }""", HttpStatusCode.BadRequest, "reasn", "did you mean 'reason'?")]
    [InlineData("nightly", "pause", """{ "reason": 7 }""", HttpStatusCode.BadRequest, "reason", "must be text")]
    [InlineData("nightly", "pause", "LONG", HttpStatusCode.BadRequest, "reason", "give at most 500")]
    [InlineData("nightly", "pause", """{ "reason": "ok\u001b[2Jwiped" }""", HttpStatusCode.BadRequest, "reason", "control character")]
    [InlineData("nightly", "pause", "[1]", HttpStatusCode.BadRequest, null, "JSON object")]
    [InlineData("nightly", "resume", """{ "reason": "x" }""", HttpStatusCode.BadRequest, "reason", "a resume request takes no fields")]
    [InlineData("nope", "resume", null, HttpStatusCode.NotFound, null, "the project has no pipeline 'nope'")]
    public async Task Bad_pauses_and_resumes_are_refused_with_the_field_and_the_fix(
        string name, string action, string? body, HttpStatusCode status, string? field, string says)
    {
        body = body == "LONG" ? $$"""{ "reason": "{{new string('x', 501)}}" }""" : body;

        var response = await _project.PostRawAsync($"/api/pipelines/{name}/schedules/{action}", body ?? "", body is null ? null : "application/json");

        var problem = await ApiTestProject.ProblemAsync(response, status);
        Assert.Contains(says, problem.GetRawText(), StringComparison.Ordinal);
        if (field is not null)
        {
            Assert.Equal(field, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        }

        Assert.Equal(System.Text.Json.JsonValueKind.Null, Assert.Single((await _project.GetAsync("/api/schedules")).GetProperty("items").EnumerateArray()).GetProperty("paused").ValueKind);
    }
}

using System.Net;
using System.Net.Http.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Triggers.BlobEvents;
using Duraflow.Engine.Triggers.Schedules;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests.Http;

public sealed class ApiStartRunTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task StartRun_Returns202WithLocation_AndTheRunShowsItsProgress()
    {
        var (response, body) = await _project.PostAsync("/api/pipelines/hello/runs", new { parameters = new { n = 21 } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = body.GetProperty("run_id").GetString()!;
        Assert.StartsWith("hello-", runId, StringComparison.Ordinal);
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal($"/api/runs/{runId}", response.Headers.Location?.ToString());

        var pending = await _project.GetAsync(response.Headers.Location!.ToString());
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal("http", pending.GetProperty("trigger").GetString());
        Assert.Equal(21, pending.GetProperty("parameters").GetProperty("n").GetInt64());
        Assert.Equal("red", pending.GetProperty("parameters").GetProperty("colour").GetString());

        Assert.Equal(RunStatus.Succeeded, (await _project.FinishAsync(runId)).Status);

        var done = await _project.GetAsync($"/api/runs/{runId}");
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, done.GetProperty("ended_at").ValueKind);
        var block = Assert.Single(done.GetProperty("blocks").EnumerateArray());
        Assert.Equal(("double_it", "succeeded", 1), (block.GetProperty("name").GetString(), block.GetProperty("status").GetString(), block.GetProperty("attempt").GetInt32()));
        Assert.Equal(42, block.GetProperty("output").GetProperty("value").GetInt64());
        Assert.Empty(done.GetProperty("dead_letters").EnumerateArray());

        var logs = await _project.GetAsync($"/api/runs/{runId}/logs?block=double_it");
        Assert.Contains(logs.GetProperty("items").EnumerateArray(), l => l.GetProperty("message").GetString() == "doubling 21");
    }

    [Fact]
    public async Task StartRun_SameIdempotencyKey_ReturnsTheSameRunWith200()
    {
        var first = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/pipelines/hello/runs", UriKind.Relative)) { Content = JsonContent.Create(new { parameters = new { n = 1 } }) };
        first.Headers.Add("Idempotency-Key", "order-42");
        var created = await _project.Client.SendAsync(first);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var runId = (await ApiTestProject.ReadAsync(created)).GetProperty("run_id").GetString();

        // The same key in the body is the same request.
        var (again, body) = await _project.PostAsync("/api/pipelines/hello/runs", new { parameters = new { n = 1 }, idempotency_key = "order-42" });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(runId, body.GetProperty("run_id").GetString());
        Assert.Equal($"/api/runs/{runId}", again.Headers.Location?.ToString());
        Assert.Single((await _project.GetAsync("/api/runs?pipeline=hello")).GetProperty("items").EnumerateArray());

        var (otherPipeline, _) = await _project.PostAsync("/api/pipelines/other/runs", new { idempotency_key = "order-42" });
        await ApiTestProject.ProblemAsync(otherPipeline, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task StartRun_AKeyShapedLikeAnEngineKey_DoesNotTakeTheBlobEventsOrTheSchedulesRun()
    {
        var blobKey = BlobEventDispatcher.IdempotencyKey("hello", "evt-123");
        var scheduleKey = ScheduledRuns.IdempotencyKey("hello", new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero));

        var (fromBlobKey, _) = await _project.PostAsync("/api/pipelines/hello/runs", new { parameters = new { n = 1 }, idempotency_key = blobKey });
        var (fromScheduleKey, _) = await _project.PostAsync("/api/pipelines/hello/runs", new { parameters = new { n = 1 }, idempotency_key = scheduleKey });

        Assert.Equal(HttpStatusCode.Accepted, fromBlobKey.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, fromScheduleKey.StatusCode);
        var store = (await _project.Factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None)).Store;
        Assert.Null(await store.FindRunByIdempotencyKeyAsync(blobKey, CancellationToken.None));
        Assert.Null(await store.FindRunByIdempotencyKeyAsync(scheduleKey, CancellationToken.None));
    }

    [Fact]
    public async Task StartRun_AParameterThatLeadsAPathOutOfTheProject_FailsTheBlockOnceAndWritesNothing()
    {
        using var outside = new Duraflow.Tests.TempFolder();
        _project.Write("pipelines/ws/pipeline.yaml", """
            name: ws
            parameters:
              name: { type: string, required: true }
            blocks:
              - { name: rows, uses: "script:blocks/rows.csx" }
              - name: save
                uses: csv.write
                with: { input: "{{ blocks.rows }}", path: "output/{{ params.name }}.csv" }
            """);
        _project.Write("pipelines/ws/blocks/rows.csx", "return new[] { new { id = 1 } };\n");
        var name = Path.GetRelativePath(Path.Combine(_project.Root, "output"), Path.Combine(outside.Root, "via_http_param"));

        var runId = await _project.StartAsync("ws", new { parameters = new { name } });
        var final = await _project.FinishAsync(runId);

        Assert.Equal(RunStatus.Failed, final.Status);
        var save = final.Blocks["save"];
        Assert.Equal(1, save.Attempt);
        Assert.Contains("outside the project folder", save.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside.Root));
    }

    [Fact]
    public async Task StartRun_BadParameters_Is400NamingEachParameterAndItsType()
    {
        var (response, _) = await _project.PostAsync("/api/pipelines/hello/runs", new { parameters = new { n = "many", colour = "green", size = 3 } });

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("field").GetString()!);
        Assert.Equal(["parameters.colour", "parameters.n", "parameters.size"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("int", errors["parameters.n"].GetProperty("expected").GetString());
        Assert.Contains("whole number", errors["parameters.n"].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("allowed values red, blue", errors["parameters.colour"].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("no parameter 'size'", errors["parameters.size"].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty((await _project.GetAsync("/api/runs")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task StartRun_MissingRequiredParameter_Is400()
    {
        var (response, _) = await _project.PostAsync("/api/pipelines/hello/runs");

        var error = Assert.Single((await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray());
        Assert.Equal(("parameters.n", "is required", "int"), (error.GetProperty("field").GetString(), error.GetProperty("message").GetString(), error.GetProperty("expected").GetString()));
    }

    [Fact]
    public async Task StartRun_BodyThatIsNotJson_Is400NamingTheBody()
    {
        using var content = new StringContent("{ parameters: ", System.Text.Encoding.UTF8, "application/json");
        var response = await _project.Client.PostAsync(new Uri("/api/pipelines/hello/runs", UriKind.Relative), content);

        var error = Assert.Single((await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray());
        Assert.Equal("body", error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task StartRun_UnknownPipeline_Is404_AndDisabledHttpTrigger_Is409()
    {
        var (unknown, _) = await _project.PostAsync("/api/pipelines/nope/runs");
        Assert.Contains("nope", (await ApiTestProject.ProblemAsync(unknown, HttpStatusCode.NotFound)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (closed, _) = await _project.PostAsync("/api/pipelines/closed/runs");
        Assert.Contains("enabled: false", (await ApiTestProject.ProblemAsync(closed, HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRun_InvalidDefinition_Is422WithDiagnostics()
    {
        _project.Write("pipelines/bad/pipeline.yaml", "name: bad\nblocks:\n  - { name: a, uses: csv.read, upstream: [b], with: { path: a.csv } }\n");

        var (response, _) = await _project.PostAsync("/api/pipelines/bad/runs");

        var error = Assert.Single((await ApiTestProject.ProblemAsync(response, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").EnumerateArray());
        Assert.StartsWith("pipelines/bad/pipeline.yaml:3:", error.GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starts_validate_the_project_once_while_its_files_stay_the_same_and_again_after_an_edit()
    {
        var catalog = _project.Factory.Services.GetRequiredService<PipelineCatalog>();
        var before = catalog.Validations;

        for (var i = 0; i < 5; i++)
        {
            await _project.StartAsync("hello", new { parameters = new { n = i } });
        }

        var afterStarts = catalog.Validations;
        _project.Write("pipelines/hello/blocks/double_it.csx", "return Param<long>(\"n\") * 3;\n");
        var edited = await _project.StartAsync("hello", new { parameters = new { n = 7 } });

        Assert.True(afterStarts - before <= 1, $"{afterStarts - before} validations for 5 starts of an unchanged project");
        Assert.Equal(afterStarts + 1, catalog.Validations);
        // The run of the edited project runs the edited script: 7 * 3.
        Assert.Equal("json:21", (await _project.FinishAsync(edited)).Block("double_it").Output);
    }
}

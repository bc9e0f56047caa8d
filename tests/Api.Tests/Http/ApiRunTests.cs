using System.Buffers.Text;
using System.Net;
using System.Text;
using Duraflow.Engine.Runs;

namespace Duraflow.Api.Tests.Http;

public sealed class ApiRunTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task ListRuns_FiltersByPipelineAndStatus_AndPagesWithTheCursor()
    {
        var hello = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            hello.Add(await _project.StartAsync("hello", new { parameters = new { n = i } }));
        }

        var other = await _project.StartAsync("other");
        await _project.PostAsync($"/api/runs/{hello[0]}/cancel");

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _project.GetAsync($"/api/runs?pipeline=hello&limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            Assert.All(items, i => Assert.Equal("hello", i.GetProperty("pipeline").GetString()));
            seen.AddRange(items.Select(i => i.GetProperty("run_id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(hello.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        var requested = (await _project.GetAsync("/api/runs?pipeline=hello&limit=200")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("requested_at").GetDateTimeOffset()).ToList();
        Assert.Equal(requested.OrderDescending(), requested);

        var cancelled = (await _project.GetAsync("/api/runs?status=cancelled")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(hello[0], Assert.Single(cancelled).GetProperty("run_id").GetString());
        var all = (await _project.GetAsync("/api/runs")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("run_id").GetString()).ToList();
        Assert.Contains(other, all);
        Assert.Equal(6, all.Count);
        Assert.Equal(6, (await _project.GetAsync($"/api/runs?from={requested.Min():yyyy-MM-ddTHH:mm:ss.fffffffzzz}&to=2100-01-01".Replace("+", "%2B", StringComparison.Ordinal))).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await _project.GetAsync("/api/runs?from=2100-01-01")).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await _project.GetAsync("/api/runs?to=2000-01-01T00:00:00Z")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("status=sleeping", "status")]
    [InlineData("status=1", "status")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("from=2026-12-02&to=2026-12-01", "to")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task ListRuns_BadQuery_Is400NamingTheParameter(string query, string field)
    {
        var response = await _project.Client.GetAsync(new Uri($"/api/runs?{query}", UriKind.Relative));

        var error = Assert.Single((await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        if (field == "status")
        {
            Assert.Contains("use pending, running, waiting, succeeded", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ListRuns_ACursorTheApiDidNotMake_Is400_AndOneItMadeSurvivesARestart()
    {
        var runs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await _project.StartAsync("hello", new { parameters = new { n = i } }));
        }

        var first = await _project.GetAsync("/api/runs?limit=1");
        var cursor = first.GetProperty("next_cursor").GetString()!;
        var bytes = Base64Url.DecodeFromChars(cursor);

        // The position as text, as cursors were before they carried a tag: easy to write by hand.
        var payload = Encoding.UTF8.GetString(bytes.AsSpan(0, bytes.Length - 16));
        var bar = payload.IndexOf('|', StringComparison.Ordinal);
        var handMade = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var otherRun = Base64Url.EncodeToString([.. Encoding.UTF8.GetBytes($"{payload[..bar]}|{runs[0]}"), .. bytes.AsSpan(bytes.Length - 16)]);
        var cutShort = cursor[..^2];
        foreach (var forged in new[] { handMade, otherRun, cutShort })
        {
            var response = await _project.Client.GetAsync(new Uri($"/api/runs?limit=1&cursor={forged}", UriKind.Relative));
            var error = Assert.Single((await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray());
            Assert.Equal("cursor", error.GetProperty("field").GetString());
            Assert.Contains("pass next_cursor back unchanged", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        _project.Restart();
        var second = await _project.GetAsync($"/api/runs?limit=1&cursor={cursor}");

        var shown = new[] { first, second }.Select(p => Assert.Single(p.GetProperty("items").EnumerateArray()).GetProperty("run_id").GetString()).ToList();
        Assert.Equal(2, shown.Distinct().Count());
        Assert.All(shown, r => Assert.Contains(r, runs));
    }

    [Fact]
    public async Task ListRuns_ACursorFromAnotherStore_Is400()
    {
        using var elsewhere = new ApiTestProject();
        await elsewhere.StartAsync("other");
        await elsewhere.StartAsync("other");
        var cursor = (await elsewhere.GetAsync("/api/runs?limit=1")).GetProperty("next_cursor").GetString();

        var response = await _project.Client.GetAsync(new Uri($"/api/runs?cursor={cursor}", UriKind.Relative));

        await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Cancel_PendingRun_Is202_AndAFinishedRun_Is409()
    {
        var runId = await _project.StartAsync("hello", new { parameters = new { n = 1 } });

        var (cancel, body) = await _project.PostAsync($"/api/runs/{runId}/cancel");

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.True(body.GetProperty("status").GetString() is "cancelling" or "cancelled");
        Assert.Equal(RunStatus.Cancelled, (await _project.FinishAsync(runId)).Status);
        Assert.Equal("cancelled", (await _project.GetAsync($"/api/runs/{runId}")).GetProperty("status").GetString());

        var (again, _) = await _project.PostAsync($"/api/runs/{runId}/cancel");
        await ApiTestProject.ProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Retry_FailedRun_Is202AndRunsAgain_AndASucceededRun_Is409()
    {
        var runId = await _project.StartAsync("gate");
        Assert.Equal(RunStatus.Failed, (await _project.FinishAsync(runId)).Status);
        var failed = await _project.GetAsync($"/api/runs/{runId}");
        Assert.Contains("the gate is shut", Assert.Single(failed.GetProperty("blocks").EnumerateArray()).GetProperty("error").GetString(), StringComparison.Ordinal);

        await File.WriteAllTextAsync(_project.GateFile, "open");
        var (retry, body) = await _project.PostAsync($"/api/runs/{runId}/retry");

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        // The run is reopened as pending and waits for a concurrency slot as a new run does (docs/api.md).
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal(RunStatus.Succeeded, (await _project.FinishAsync(runId)).Status);
        var (again, _) = await _project.PostAsync($"/api/runs/{runId}/retry");
        Assert.Contains("succeeded", (await ApiTestProject.ProblemAsync(again, HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_WithRefresh_RunsOnTheFixedFiles_AndRefusesABadFlagOrFilesThatDoNotValidate()
    {
        var runId = await _project.StartAsync("gate");
        Assert.Equal(RunStatus.Failed, (await _project.FinishAsync(runId)).Status);

        _project.Write("pipelines/gate/blocks/open.csx", "return 1 +;\n");
        var (broken, _) = await _project.PostAsync($"/api/runs/{runId}/retry", new { refresh = true });
        var (notAFlag, _) = await _project.PostAsync($"/api/runs/{runId}/retry", new { refresh = "yes" });
        _project.Write("pipelines/gate/pipeline.yaml", "name: gate\nblocks: [\n");
        var (unparsed, _) = await _project.PostAsync($"/api/runs/{runId}/retry", new { refresh = true });
        _project.Write("pipelines/gate/pipeline.yaml", "name: gate\nblocks:\n  - { name: open, uses: \"script:blocks/open.csx\" }\n");
        _project.Write("pipelines/gate/blocks/open.csx", "return 2;\n");
        var (retry, _) = await _project.PostAsync($"/api/runs/{runId}/retry", new { refresh = true });
        var final = await _project.FinishAsync(runId);

        Assert.Contains("open.csx", (await ApiTestProject.ProblemAsync(broken, HttpStatusCode.UnprocessableEntity)).GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("refresh", Assert.Single((await ApiTestProject.ProblemAsync(notAFlag, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Contains("pipeline.yaml", (await ApiTestProject.ProblemAsync(unparsed, HttpStatusCode.UnprocessableEntity)).GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal(2, (await _project.GetAsync($"/api/runs/{runId}")).GetProperty("blocks")[0].GetProperty("output").GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task GetRun_ShowsASecretParameterAsStars_AndThePipelineSaysItIsSecret()
    {
        _project.Write("pipelines/vault/pipeline.yaml", "name: vault\nparameters:\n  key: { type: string, secret: true }\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/vault/blocks/a.csx", "return Param<string>(\"key\").Length;\n");

        var runId = await _project.StartAsync("vault", new { parameters = new { key = "k-5c1e9a0b77" } });
        await _project.FinishAsync(runId);
        var run = await _project.GetAsync($"/api/runs/{runId}");
        var pipeline = await _project.GetAsync("/api/pipelines/vault");

        Assert.Equal("***", run.GetProperty("parameters").GetProperty("key").GetString());
        Assert.Equal(12, run.GetProperty("blocks")[0].GetProperty("output").GetProperty("value").GetInt32());
        Assert.True(pipeline.GetProperty("parameters")[0].GetProperty("secret").GetBoolean());
        Assert.DoesNotContain("k-5c1e9a0b77", run.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/runs/nope")]
    [InlineData("GET", "/api/runs/nope/logs")]
    [InlineData("POST", "/api/runs/nope/cancel")]
    [InlineData("POST", "/api/runs/nope/retry")]
    public async Task UnknownRun_Is404Problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        var response = await _project.Client.SendAsync(request);

        Assert.Contains("nope", (await ApiTestProject.ProblemAsync(response, HttpStatusCode.NotFound)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_OfABlockTheRunDoesNotHave_Is400()
    {
        var runId = await _project.StartAsync("hello", new { parameters = new { n = 1 } });

        var response = await _project.Client.GetAsync(new Uri($"/api/runs/{runId}/logs?block=nope", UriKind.Relative));

        Assert.Equal("block", Assert.Single((await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Logs_ShowFromInformationUp_DebugOnRequest_AndAnUnknownLevelIs400()
    {
        var runId = await _project.StartAsync("hello", new { parameters = new { n = 1 } });
        await _project.FinishAsync(runId);

        var shown = await _project.GetAsync($"/api/runs/{runId}/logs");
        var withDebug = await _project.GetAsync($"/api/runs/{runId}/logs?level=DEBUG");
        var onlyErrors = await _project.GetAsync($"/api/runs/{runId}/logs?level=error");
        var wrong = await _project.Client.GetAsync(new Uri($"/api/runs/{runId}/logs?level=loud", UriKind.Relative));

        Assert.Contains(shown.GetProperty("items").EnumerateArray(), l => l.GetProperty("level").GetString() == "information");
        Assert.True(withDebug.GetProperty("items").GetArrayLength() >= shown.GetProperty("items").GetArrayLength());
        Assert.Empty(onlyErrors.GetProperty("items").EnumerateArray());
        Assert.Equal("level", Assert.Single((await ApiTestProject.ProblemAsync(wrong, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Ready_IsOkForAValidProject_And503WhenAPipelineIsBroken()
    {
        var ready = await _project.GetAsync("/api/ready");
        Assert.Equal(("ready", "ok"), (ready.GetProperty("status").GetString(), ready.GetProperty("checks").GetProperty("store").GetString()));

        _project.Write("pipelines/bad/pipeline.yaml", "name: bad\nblocks:\n  - { name: a, uses: nothing.here }\n");
        var response = await _project.Client.GetAsync(new Uri("/api/ready", UriKind.Relative));

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("bad", problem.GetProperty("checks").GetProperty("project").GetString(), StringComparison.Ordinal);
    }
}

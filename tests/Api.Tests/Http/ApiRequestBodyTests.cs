using System.Net;
using System.Text;
using Duraflow.Api.Http;

namespace Duraflow.Api.Tests.Http;

/// <summary>What the API does with request bodies it should not take: repeated names, unknown fields, non-JSON, too large.</summary>
public sealed class ApiRequestBodyTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Theory]
    [InlineData("""{"parameters":{"n":1},"parameters":{"n":2}}""", "parameters", "$")]
    [InlineData("""{"parameters":{"n":1,"n":2}}""", "parameters.n", "$.parameters")]
    [InlineData("""{"parameters":{"n":1},"idempotency_key":"a","idempotency_key":"b"}""", "idempotency_key", "$")]
    [InlineData("""{"parameters":{"n":1,"colour":"red","cfg":[{"a":1,"a":1}]}}""", "parameters.cfg[0].a", "$.parameters.cfg[0]")]
    public async Task StartRun_ARepeatedPropertyName_Is400NamingItsPath(string body, string field, string objectPath)
    {
        var response = await _project.PostRawAsync("/api/pipelines/hello/runs", body, "application/json");

        var error = Assert.Single((await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains($"more than once in the object at {objectPath};", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty((await _project.GetAsync("/api/runs")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("bad-utf8", "UTF-8")]
    [InlineData("deep", "depth")]
    [InlineData("[1]", "must be a JSON object")]
    public async Task StartRun_ABodyThatIsNotAJsonObject_Is400NamingTheBody(string kind, string expected)
    {
        var body = kind switch
        {
            "bad-utf8" => [.. Encoding.UTF8.GetBytes("""{"parameters":{"n":"1"""), 0xFF, .. Encoding.UTF8.GetBytes("\"}}")],
            "deep" => Encoding.UTF8.GetBytes("""{"parameters":{"n":""" + new string('[', 100) + new string(']', 100) + "}}"),
            _ => Encoding.UTF8.GetBytes(kind),
        };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");

        var response = await _project.Client.PostAsync(new Uri("/api/pipelines/hello/runs", UriKind.Relative), content);

        var error = Assert.Single((await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray());
        Assert.Equal("body", error.GetProperty("field").GetString());
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRun_AnUnknownField_Is400NamingItAndTheLikelyIntendedOne()
    {
        var response = await _project.PostRawAsync("/api/pipelines/hello/runs", """{"paramters":{"n":1},"Idempotency_key":"k","zzz":1}""", "application/json");

        var errors = (await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray()
            .ToDictionary(e => e.GetProperty("field").GetString()!, e => e.GetProperty("message").GetString()!);
        Assert.Equal(["Idempotency_key", "paramters", "zzz"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("did you mean 'parameters'?", errors["paramters"], StringComparison.Ordinal);
        Assert.Contains("did you mean 'idempotency_key'?", errors["Idempotency_key"], StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", errors["zzz"], StringComparison.Ordinal);
        Assert.Contains("takes parameters, idempotency_key", errors["zzz"], StringComparison.Ordinal);
        Assert.Empty((await _project.GetAsync("/api/runs")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("n=1", "text/plain")]
    [InlineData("n=1", "application/x-www-form-urlencoded")]
    [InlineData("""{"parameters":{"n":1}}""", "text/plain")]
    [InlineData("""{"parameters":{"n":1}}""", null)]
    public async Task StartRun_ABodyThatIsNotSentAsJson_Is415SayingToSendJson(string body, string? contentType)
    {
        var response = await _project.PostRawAsync("/api/pipelines/hello/runs", body, contentType);

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("Content-Type: application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty((await _project.GetAsync("/api/runs")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task StartRun_JsonInACharsetOtherThanUtf8_Is415()
    {
        var response = await _project.PostRawAsync("/api/pipelines/hello/runs", """{"parameters":{"n":1}}""", "application/json; charset=iso-8859-1");

        Assert.Contains("UTF-8", (await ApiTestProject.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task StartRun_NoBody_WhateverItsContentType_StartsWithTheDefaults(string? contentType)
    {
        var response = await _project.PostRawAsync("/api/pipelines/other/runs", "", contentType);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task StartRun_JsonWithAStructuredSuffixAndCharset_IsAccepted()
    {
        var response = await _project.PostRawAsync("/api/pipelines/hello/runs", """{"parameters":{"n":1}}""", "application/vnd.duraflow+json; charset=utf-8");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StartRun_ABodyOverTheLimit_Is413Problem(bool lengthDeclared)
    {
        var padding = new string('x', JsonRequestBody.MaxBytes);
        using var content = new StringContent($$$"""{"parameters":{"n":1,"colour":"{{{padding}}}"}}""", System.Text.Encoding.UTF8, "application/json");
        if (!lengthDeclared)
        {
            // Sent without Content-Length, so the limit is found while reading.
            content.Headers.ContentLength = null;
        }

        var response = await _project.Client.PostAsync(new Uri("/api/pipelines/hello/runs", UriKind.Relative), content);

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1024 KiB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("retry")]
    public async Task CancelAndRetry_TakeNoBody_OrAnEmptyObject_AndRefuseFieldsAndNonJson(string action)
    {
        var runId = await _project.StartAsync("gate");
        var path = $"/api/runs/{runId}/{action}";

        var field = await _project.PostRawAsync(path, """{"reason":"wrong data"}""", "application/json");
        var error = Assert.Single((await ApiTestProject.ProblemAsync(field, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray());
        Assert.Equal("reason", error.GetProperty("field").GetString());
        Assert.Contains(action == "cancel" ? "takes no fields" : "a retry request takes refresh", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await ApiTestProject.ProblemAsync(await _project.PostRawAsync(path, "please", "text/plain"), HttpStatusCode.UnsupportedMediaType);

        // What worked before still does: nothing at all (curl -X POST), or {} as JSON. Cancel answers 202; retry of a
        // run that has not failed answers 409, which shows the body got through.
        var expected = action == "cancel" ? HttpStatusCode.Accepted : HttpStatusCode.Conflict;
        Assert.Equal(expected, (await _project.PostRawAsync(path, "", null)).StatusCode);
        Assert.Equal(action == "cancel" ? HttpStatusCode.Conflict : expected, (await _project.PostRawAsync(path, "{}", "application/json")).StatusCode);
    }
}

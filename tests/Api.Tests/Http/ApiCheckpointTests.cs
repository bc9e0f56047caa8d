using System.Net;
using System.Text;

namespace Duraflow.Api.Tests.Http;

/// <summary>The checkpoint endpoints: set, list, reset one or all, and what they refuse.</summary>
public sealed class ApiCheckpointTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public void Dispose() => _project.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await _project.Client.SendAsync(request);
    }

    [Fact]
    public async Task Checkpoints_are_set_listed_and_reset_one_or_all()
    {
        var set = await SendAsync(HttpMethod.Put, "/api/pipelines/hello/checkpoints/last_id", """{ "value": 1200 }""");
        await SendAsync(HttpMethod.Put, "/api/pipelines/hello/checkpoints/since", """{ "value": "2026-11-01T00:00:00Z" }""");
        var listed = await _project.GetAsync("/api/pipelines/hello/checkpoints");
        var resetOne = await ApiTestProject.ReadAsync(await SendAsync(HttpMethod.Delete, "/api/pipelines/hello/checkpoints/last_id"));
        var resetAll = await ApiTestProject.ReadAsync(await SendAsync(HttpMethod.Delete, "/api/pipelines/hello/checkpoints"));
        var after = await _project.GetAsync("/api/pipelines/hello/checkpoints");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(1200, (await ApiTestProject.ReadAsync(set)).GetProperty("value").GetInt32());
        Assert.Equal(["last_id", "since"], listed.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal((1, 1), (resetOne.GetProperty("deleted").GetInt32(), resetAll.GetProperty("deleted").GetInt32()));
        Assert.Empty(after.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("/api/pipelines/hello/checkpoints/last_id", "{}", "value", "is required")]
    [InlineData("/api/pipelines/hello/checkpoints/last_id", """{ "value": 1, "note": "x" }""", "note", "a checkpoint")]
    [InlineData("/api/pipelines/hello/checkpoints/last_id", "BIG", "value", "is larger than 16384 bytes")]
    [InlineData("/api/pipelines/Hello!/checkpoints/last_id", """{ "value": 1 }""", "name", "is not a pipeline name")]
    [InlineData("/api/pipelines/hello/checkpoints/a%09b", """{ "value": 1 }""", "checkpoint", "may not hold control characters")]
    public async Task A_bad_checkpoint_request_is_refused_and_sets_nothing(string path, string body, string field, string says)
    {
        body = body == "BIG" ? $$"""{ "value": "{{new string('x', 17_000)}}" }""" : body;

        var response = await SendAsync(HttpMethod.Put, path, body);

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(says, problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Empty((await _project.GetAsync("/api/pipelines/hello/checkpoints")).GetProperty("items").EnumerateArray());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Duraflow.Api.Auth;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests.Http;

/// <summary>
/// The audit log through the API: every route that changes something is recorded once, with the right actor, target,
/// masked parameters and result (refusals too), and read back with <c>GET /api/audit</c>.
/// </summary>
public sealed class ApiAuditTests : IDisposable
{
    private readonly CapturedLogs _logs = new();
    private readonly ApiTestProject _project;

    public ApiAuditTests()
    {
        _project = new ApiTestProject(_logs);
        _project.Write("pipelines/secretive/pipeline.yaml", """
            name: secretive
            parameters:
              warehouse_pw: { type: string, secret: true }
              day: { type: string, default: "2026-12-01" }
            blocks:
              - { name: a, uses: "script:blocks/a.csx" }
            """);
        _project.Write("pipelines/secretive/blocks/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public void Every_route_that_needs_operate_or_administer_and_changes_something_is_audited()
    {
        var unaudited = _project.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<RequiredPermission>()?.Permission is ApiPermission.Operate or ApiPermission.Administer)
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Any(m => m != "GET"))
            .Where(e => e.Metadata.GetMetadata<AuditedRoute>() is null)
            .Select(e => e.RoutePattern.RawText);

        Assert.Empty(unaudited);
    }

    [Fact]
    public async Task A_start_is_recorded_with_its_actor_target_masked_secrets_result_and_client()
    {
        var answer = await _project.Client.PostAsJsonAsync(
            new Uri("/api/pipelines/secretive/runs", UriKind.Relative), new { parameters = new { warehouse_pw = "hunter2-very-secret", day = "2026-12-02" } });

        var entry = Assert.Single((await _project.GetAsync("/api/audit")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(("api-key", "key", "run.start", "pipeline:secretive", "202"), (
            entry.GetProperty("actor").GetString(), entry.GetProperty("actor_kind").GetString(), entry.GetProperty("action").GetString(),
            entry.GetProperty("target").GetString(), entry.GetProperty("result").GetString()));
        var parameters = entry.GetProperty("parameters").GetProperty("body").GetProperty("parameters");
        Assert.Equal(("***", "2026-12-02"), (parameters.GetProperty("warehouse_pw").GetString(), parameters.GetProperty("day").GetString()));
        Assert.DoesNotContain("hunter2", entry.GetRawText(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(entry.GetProperty("at").GetString()));
    }

    [Fact]
    public async Task A_refused_change_is_recorded_with_its_status_and_a_created_keys_secret_is_in_no_entry()
    {
        var created = await _project.Client.PostAsJsonAsync(new Uri("/api/keys", UriKind.Relative), new { name = "watcher", role = "viewer" });
        var key = (await ApiTestProject.ReadAsync(created)).GetProperty("key").GetString()!;
        using var viewer = _project.Factory.CreateClient();
        viewer.DefaultRequestHeaders.Add("X-Api-Key", key);
        var refused = await viewer.PostAsync(new Uri("/api/pipelines/hello/schedules/pause", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        var notAllowedToRead = await viewer.GetAsync(new Uri("/api/audit", UriKind.Relative));

        var entries = (await _project.GetAsync("/api/audit")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAllowedToRead.StatusCode);
        Assert.Equal(
            [("key:watcher", "schedules.pause", "pipeline:hello", "403"), ("api-key", "key.create", "", "201")],
            entries.Select(e => (e.GetProperty("actor").GetString(), e.GetProperty("action").GetString(), e.GetProperty("target").GetString(), e.GetProperty("result").GetString())));
        var all = string.Join('\n', entries.Select(e => e.GetRawText()));
        Assert.DoesNotContain(key[^20..], all, StringComparison.Ordinal);
        Assert.DoesNotContain(key[^20..], string.Join('\n', _logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_filters_by_actor_action_and_time_pages_with_a_cursor_and_refuses_bad_queries()
    {
        using (var put = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/pipelines/hello/checkpoints/mark", UriKind.Relative)))
        {
            put.Content = new StringContent("""{"value": 5}""", Encoding.UTF8, "application/json");
            await _project.Client.SendAsync(put);
        }

        await _project.Client.DeleteAsync(new Uri("/api/pipelines/hello/checkpoints/mark", UriKind.Relative));

        var sets = await _project.GetAsync("/api/audit?action=checkpoint.set&actor=api-key&since=1h");
        var first = await _project.GetAsync("/api/audit?limit=1");
        var second = await _project.GetAsync($"/api/audit?limit=1&cursor={first.GetProperty("next_cursor").GetString()}");
        var future = await _project.GetAsync("/api/audit?since=2999-01-01");

        var set = Assert.Single(sets.GetProperty("items").EnumerateArray());
        Assert.Equal("pipeline:hello/checkpoint:mark", set.GetProperty("target").GetString());
        Assert.Equal(5, set.GetProperty("parameters").GetProperty("body").GetProperty("value").GetInt32());
        Assert.Equal("checkpoint.reset", first.GetProperty("items")[0].GetProperty("action").GetString());
        Assert.Equal("checkpoint.set", second.GetProperty("items")[0].GetProperty("action").GetString());
        Assert.Empty(future.GetProperty("items").EnumerateArray());
        foreach (var (query, field) in new[] { ("since=yesterday", "since"), ("limit=0", "limit"), ("limit=501", "limit"), ("cursor=x'%20or%201", "cursor") })
        {
            var bad = await _project.Client.GetAsync(new Uri($"/api/audit?{query}", UriKind.Relative));
            Assert.Equal(field, (await ApiTestProject.ProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors")[0].GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task A_body_too_large_to_keep_is_described_and_one_with_credentials_is_masked()
    {
        var big = $$"""{ "data": "{{new string('x', 20_000)}}" }""";
        await _project.Client.PostAsync(new Uri("/api/runs/r1/signals/go", UriKind.Relative), new StringContent(big, Encoding.UTF8, "application/json"));
        await _project.Client.PostAsync(
            new Uri("/api/runs/r2/signals/go", UriKind.Relative),
            new StringContent("""{ "data": { "token": "tok-123-secret", "nested": [{ "password": "pw-456" }] } }""", Encoding.UTF8, "application/json"));

        var entries = (await _project.GetAsync("/api/audit?action=run.signal")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.StartsWith("a body of ", entries[1].GetProperty("parameters").GetProperty("body").GetProperty("not_kept").GetString(), StringComparison.Ordinal);
        var masked = entries[0].GetProperty("parameters").GetProperty("body").GetRawText();
        Assert.DoesNotContain("tok-123", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-456", masked, StringComparison.Ordinal);
        Assert.Equal("404", entries[0].GetProperty("result").GetString());
        using var document = JsonDocument.Parse(masked);
        Assert.Equal("***", document.RootElement.GetProperty("data").GetProperty("token").GetString());
    }

    [Theory]
    [InlineData("""{"data": 1, "data": 2}""", "with a field named twice")]
    [InlineData("""{"data": [1, 2""", "that is not JSON, or nested deeper than 32")]
    public async Task A_body_the_endpoint_refuses_is_recorded_as_refused_and_described(string body, string says)
    {
        var answer = await _project.Client.PostAsync(new Uri("/api/runs/r1/signals/go", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var entry = Assert.Single((await _project.GetAsync("/api/audit")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("400", entry.GetProperty("result").GetString());
        Assert.EndsWith(says, entry.GetProperty("parameters").GetProperty("body").GetProperty("not_kept").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameters_of_a_pipeline_that_does_not_exist_or_that_it_does_not_declare_are_masked()
    {
        await _project.Client.PostAsJsonAsync(new Uri("/api/pipelines/nowhere/runs", UriKind.Relative), new { parameters = new { db_pw = "leak-404" } });
        await _project.Client.PostAsJsonAsync(new Uri("/api/pipelines/secretive/runs", UriKind.Relative), new { parameters = new { warehouse_pwd = "leak-400", day = "2026-12-03" } });

        var entries = (await _project.GetAsync("/api/audit")).GetProperty("items").EnumerateArray().ToList();
        var all = string.Join('\n', entries.Select(e => e.GetRawText()));
        Assert.Equal(["400", "404"], entries.Select(e => e.GetProperty("result").GetString()));
        Assert.DoesNotContain("leak-", all, StringComparison.Ordinal);
        Assert.Contains("2026-12-03", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(31, false)]
    [InlineData(63, true)]
    public async Task A_deep_body_is_recorded_or_described_and_the_log_stays_readable(int depth, bool described)
    {
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        await _project.Client.PostAsync(new Uri("/api/runs/r1/signals/go", UriKind.Relative), new StringContent($"{{\"data\": {nested}}}", Encoding.UTF8, "application/json"));

        var listed = await _project.Client.GetAsync(new Uri("/api/audit", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var body = (await ApiTestProject.ReadAsync(listed)).GetProperty("items")[0].GetProperty("parameters").GetProperty("body");
        Assert.Equal(described, body.TryGetProperty("not_kept", out _));
    }

    [Fact]
    public async Task A_body_the_route_never_reads_is_not_read_after_the_change_and_the_change_is_recorded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri("/api/pipelines/hello/checkpoints", UriKind.Relative))
        {
            Content = new StringContent("""{"ignored": true}""", Encoding.UTF8, "application/json"),
        };
        var answer = await _project.Client.SendAsync(request);

        var entry = Assert.Single((await _project.GetAsync("/api/audit")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(("checkpoints.reset", "200"), (entry.GetProperty("action").GetString(), entry.GetProperty("result").GetString()));
        Assert.Equal("a body the route does not read", entry.GetProperty("parameters").GetProperty("body").GetProperty("not_kept").GetString());
    }
}

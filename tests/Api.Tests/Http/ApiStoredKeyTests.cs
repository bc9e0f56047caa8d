using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Duraflow.Api.Auth;
using Duraflow.Engine.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests.Http;

/// <summary>
/// Keys made through <c>/api/keys</c> (and <c>duraflow keys</c>, which shares the code): each works with its role,
/// inside its pipeline glob, until it expires or is revoked; what is refused is said, and nothing secret is shown twice.
/// </summary>
public sealed class ApiStoredKeyTests : IDisposable
{
    private readonly CapturedLogs _logs = new();
    private readonly ApiTestProject _project;

    public ApiStoredKeyTests() => _project = new ApiTestProject(_logs);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_created_key_acts_with_its_role_is_listed_without_its_secret_and_stops_at_once_when_revoked_here()
    {
        var created = await CreateAsync(new { name = "ci", role = "operator" });
        var key = created.GetProperty("key").GetString()!;

        var started = await SendAsync(HttpMethod.Post, "/api/pipelines/hello/runs", key, """{"parameters":{"n":2}}""");
        var purge = await SendAsync(HttpMethod.Post, "/api/runs/purge", key, """{"older_than":"30d"}""");
        var listKeys = await SendAsync(HttpMethod.Get, "/api/keys", key);
        var listed = await _project.GetAsync("/api/keys");
        var revoked = await SendAsync(HttpMethod.Delete, "/api/keys/ci", ApiTestProject.Key);
        var after = await SendAsync(HttpMethod.Get, "/api/runs", key);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("administer", (await ApiTestProject.ProblemAsync(purge, HttpStatusCode.Forbidden)).GetProperty("missing_permission").GetString());
        await ApiTestProject.ProblemAsync(listKeys, HttpStatusCode.Forbidden);
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(("ci", "operator", "active", "api-key"), (item.GetProperty("name").GetString(), item.GetProperty("role").GetString(),
            item.GetProperty("status").GetString(), item.GetProperty("created_by").GetString()));
        Assert.DoesNotContain(key[^20..], listed.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var refusal = await ApiTestProject.ProblemAsync(after, HttpStatusCode.Unauthorized);
        Assert.StartsWith("the API key 'ci' was revoked at ", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The key went nowhere but its one answer: not into the logs.
        Assert.DoesNotContain(key[^20..], string.Join('\n', _logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_a_tampered_or_a_made_up_key_is_a_401_that_says_only_what_its_holder_may_know()
    {
        var keys = await KeysAsync();
        var now = DateTimeOffset.UtcNow;
        var (expired, expiredText) = StoredKeys.Create("old", ApiRole.Admin, null, null, now.AddDays(-2), now.AddDays(-1), "test");
        await keys.AddKeyAsync(expired, CancellationToken.None);
        var live = (await CreateAsync(new { name = "live", role = "viewer" })).GetProperty("key").GetString()!;

        var cases = new Dictionary<string, (string Key, string Says)>
        {
            ["expired"] = (expiredText, "the API key 'old' expired at "),
            ["tampered"] = (live[..^1] + (live[^1] == 'a' ? 'b' : 'a'), "the API key is wrong"),
            ["unknown id"] = ("dfk_0123456789abcdef_" + live[^43..], "the API key is wrong"),
            ["not a stored key"] = ("dfk_nothex_x", "the API key is wrong"),
        };
        foreach (var (why, (text, says)) in cases)
        {
            var answer = await SendAsync(HttpMethod.Get, "/api/runs", text);
            var detail = (await ApiTestProject.ProblemAsync(answer, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!;
            Assert.True(detail.StartsWith(says, StringComparison.Ordinal), $"{why}: {detail}");
        }

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/runs", live)).StatusCode);
    }

    [Theory]
    [InlineData("""{"role":"viewer"}""", "name", "is required")]
    [InlineData("""{"name":"x","role":"owner"}""", "role", "'owner' is not a role")]
    [InlineData("""{"name":"x","role":7}""", "role", "must be text")]
    [InlineData("""{"name":"x","role":"viewer","pipelines":"a/b"}""", "pipelines", "may hold only lowercase letters")]
    [InlineData("""{"name":"x","role":"viewer","expires_in":"-1d"}""", "expires_in", "is not a lifetime above zero")]
    [InlineData("""{"name":"x","role":"viewer","expires_in":"3651d"}""", "expires_in", "at most 3650d")]
    [InlineData("""{"name":"x","role":"viewer","scope":"all"}""", "scope", "a key")]
    [InlineData("""{"name":"a\u0007b","role":"viewer"}""", "name", "may hold only lowercase letters")]
    [InlineData("""{"name":"ops/team","role":"viewer"}""", "name", "may hold only lowercase letters")]
    [InlineData("""{"name":"x\u202Eevil","role":"viewer"}""", "name", "may hold only lowercase letters")]
    [InlineData("""[1]""", "body", "object")]
    public async Task A_bad_key_request_is_a_400_naming_the_field_and_stores_nothing(string body, string field, string says)
    {
        var answer = await SendAsync(HttpMethod.Post, "/api/keys", ApiTestProject.Key, body);

        var problem = await ApiTestProject.ProblemAsync(answer, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Contains(says, problem.GetRawText(), StringComparison.Ordinal);
        Assert.Empty((await _project.GetAsync("/api/keys")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Racing_creates_of_one_name_store_one_key_and_the_others_are_409()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendAsync(HttpMethod.Post, "/api/keys", ApiTestProject.Key, """{"name":"ci","role":"viewer"}""")));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Single((await _project.GetAsync("/api/keys")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_key_limited_to_a_glob_sees_only_those_pipelines_and_their_runs_and_may_not_act_on_all_at_once()
    {
        var otherRun = await _project.StartAsync("other");
        var helloRun = await _project.StartAsync("hello", new { parameters = new { n = 1 } });
        var key = (await CreateAsync(new { name = "hello_admin", role = "admin", pipelines = "hel*" })).GetProperty("key").GetString()!;

        var pipelines = await ReadAsync(await SendAsync(HttpMethod.Get, "/api/pipelines", key));
        var runs = await ReadAsync(await SendAsync(HttpMethod.Get, "/api/runs", key));
        var schedules = await ReadAsync(await SendAsync(HttpMethod.Get, "/api/schedules", key));

        Assert.Equal(["hello"], pipelines.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal([helloRun], runs.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        Assert.All(schedules.GetProperty("items").EnumerateArray(), s => Assert.Equal("hello", s.GetProperty("pipeline").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/api/runs/{helloRun}", key)).StatusCode);

        // Outside the glob, things answer as if they did not exist; routes over every pipeline are refused.
        foreach (var (method, path, body, title) in new[]
        {
            (HttpMethod.Get, "/api/pipelines/other", (string?)null, "Pipeline not found"),
            (HttpMethod.Post, "/api/pipelines/other/runs", "{}", "Pipeline not found"),
            (HttpMethod.Put, "/api/pipelines/other/checkpoints/x", """{"value":1}""", "Pipeline not found"),
            (HttpMethod.Get, $"/api/runs/{otherRun}", null, "Run not found"),
            (HttpMethod.Post, $"/api/runs/{otherRun}/cancel", "{}", "Run not found"),
            (HttpMethod.Get, $"/api/runs/{otherRun}/logs", null, "Run not found"),
        })
        {
            var outside = await ApiTestProject.ProblemAsync(await SendAsync(method, path, key, body), HttpStatusCode.NotFound);
            Assert.Equal(title, outside.GetProperty("title").GetString());
        }

        foreach (var (method, path, body) in new[]
        {
            (HttpMethod.Post, "/api/runs/purge", (string?)"""{"older_than":"30d"}"""),
            (HttpMethod.Delete, "/api/cache", null),
            (HttpMethod.Post, "/api/keys", """{"name":"escalate","role":"admin"}"""),
            (HttpMethod.Get, "/api/keys", null),
        })
        {
            var problem = await ApiTestProject.ProblemAsync(await SendAsync(method, path, key, body), HttpStatusCode.Forbidden);
            Assert.Contains("is limited to pipelines 'hel*'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Single((await _project.GetAsync("/api/keys")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_dashboard_signed_in_with_a_stored_key_has_its_role_and_its_session_ends_with_the_key()
    {
        var key = (await CreateAsync(new { name = "ana", role = "viewer" })).GetProperty("key").GetString()!;
        using var browser = _project.Factory.CreateClient();

        var signIn = await browser.PostAsJsonAsync(new Uri("/api/session", UriKind.Relative), new { api_key = key });
        var session = await ReadAsync(await browser.GetAsync(new Uri("/api/session", UriKind.Relative)));
        var runs = await browser.GetAsync(new Uri("/api/runs", UriKind.Relative));
        using var cancel = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/runs/r1/cancel", UriKind.Relative));
        cancel.Headers.Add("X-Duraflow-Request", "1");
        var refused = await browser.SendAsync(cancel);
        await SendAsync(HttpMethod.Delete, "/api/keys/ana", ApiTestProject.Key);
        var afterRevoke = await browser.GetAsync(new Uri("/api/runs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal("key:ana", (await ReadAsync(signIn)).GetProperty("by").GetString());
        Assert.Equal(("viewer", true), (session.GetProperty("role").GetString(), session.GetProperty("signed_in").GetBoolean()));
        Assert.Equal(["read"], session.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task A_session_cookie_made_from_what_the_store_holds_or_with_a_far_expiry_is_refused()
    {
        var key = (await CreateAsync(new { name = "ops", role = "admin" })).GetProperty("key").GetString()!;
        var stored = (await (await KeysAsync()).ListKeysAsync(CancellationToken.None)).Single();
        var now = DateTimeOffset.UtcNow;

        // Everything the store holds, used as the token: not the secret's, so refused.
        var fromStore = Cookie(stored.Id, now.AddHours(1), Convert.ToBase64String(stored.SessionHash));
        var farOff = Cookie(stored.Id, now.AddDays(30), StoredKeys.SessionToken(key[(StoredKeys.Prefix.Length + 17)..]));
        var honest = Cookie(stored.Id, now.AddHours(1), StoredKeys.SessionToken(key[(StoredKeys.Prefix.Length + 17)..]));

        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookieAsync(fromStore)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookieAsync(farOff)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(honest)).StatusCode);
    }

    [Fact]
    public async Task A_limited_keys_run_pages_and_cursors_hold_only_its_runs_and_a_hidden_ones_idempotency_key_names_nothing()
    {
        var hello = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            hello.Add(await _project.StartAsync("hello", new { parameters = new { n = i } }));
            await _project.StartAsync("other", new { idempotency_key = $"other-{i}" });
        }

        var key = (await CreateAsync(new { name = "hello_only", role = "operator", pipelines = "hello" })).GetProperty("key").GetString()!;
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ReadAsync(await SendAsync(HttpMethod.Get, $"/api/runs?limit=1{(cursor is null ? "" : $"&cursor={cursor}")}", key));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            Assert.True(cursor is null || !Encoding.UTF8.GetString(Convert.FromBase64String(Pad(cursor))).Contains("other", StringComparison.Ordinal));
        }
        while (cursor is not null);

        var outside = await ReadAsync(await SendAsync(HttpMethod.Get, "/api/runs?pipeline=other", key));
        var reused = await SendAsync(HttpMethod.Post, "/api/pipelines/hello/runs", key, """{"parameters":{"n":1},"idempotency_key":"other-0"}""");
        var missingRun = await SendAsync(HttpMethod.Post, "/api/runs/no-such-run/signals/BAD!", key, "{}");

        Assert.Equal(Enumerable.Reverse(hello), seen);
        Assert.Empty(outside.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, outside.GetProperty("next_cursor").ValueKind);
        var conflict = await ApiTestProject.ProblemAsync(reused, HttpStatusCode.Conflict);
        Assert.Equal("idempotency key 'other-0' is already used; choose another", conflict.GetProperty("detail").GetString());
        Assert.Equal("Run not found", (await ApiTestProject.ProblemAsync(missingRun, HttpStatusCode.NotFound)).GetProperty("title").GetString());
    }

    private static string Pad(string base64Url) => base64Url.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (base64Url.Length % 4)) % 4);

    private static string Cookie(string id, DateTimeOffset expires, string token)
    {
        var seconds = expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mac = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(Encoding.ASCII.GetBytes(token), Encoding.ASCII.GetBytes($"k1.{id}.{seconds}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"k1.{id}.{seconds}.{token}.{mac}";
    }

    private async Task<HttpResponseMessage> WithCookieAsync(string cookie)
    {
        using var client = _project.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/runs", UriKind.Relative));
        request.Headers.Add("Cookie", $"duraflow_session={cookie}");
        return await client.SendAsync(request);
    }

    private async Task<JsonElement> CreateAsync(object body)
    {
        var answer = await _project.Client.PostAsJsonAsync(new Uri("/api/keys", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        return await ReadAsync(answer);
    }

    private async Task<IAccessKeys> KeysAsync() =>
        (IAccessKeys)(await _project.Factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None)).Store;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, string? body = null)
    {
        using var client = _project.Factory.CreateClient();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Api-Key", key);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private static Task<JsonElement> ReadAsync(HttpResponseMessage response) => ApiTestProject.ReadAsync(response);
}

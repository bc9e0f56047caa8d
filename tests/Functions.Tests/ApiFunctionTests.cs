using System.Net;
using Duraflow.Tests;

namespace Duraflow.Functions.Tests;

/// <summary>
/// The <c>api</c> HTTP function, called with a request as the worker's ASP.NET Core integration hands it over: the
/// API's own pipeline answers it, with the same routes, contracts and auth as <c>duraflow serve</c>. The function is
/// anonymous to the host, so the app checks the API key, the dashboard's session cookie or an Entra token itself, and
/// serves the dashboard at the site root.
/// </summary>
public sealed class ApiFunctionTests : IDisposable
{
    private readonly TempFolder _project = new();

    public ApiFunctionTests()
    {
        _project.Write("pipelines/hello/pipeline.yaml", "name: hello\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/hello/blocks/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Requests_with_the_api_key_reach_the_api_routes_with_their_path_unchanged()
    {
        await using var app = new FunctionsApp(_project.Root, new Dictionary<string, string?> { ["Duraflow:Runtime"] = "duraflow" });

        var (status, _, pipelines) = await ApiInvocation.SendAsync(app, "GET", "/api/pipelines");
        var (started, _, run) = await ApiInvocation.SendAsync(app, "POST", "/api/pipelines/hello/runs", "{}");
        var (listed, _, runs) = await ApiInvocation.SendAsync(app, "GET", "/api/runs");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hello", pipelines.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Accepted, started);
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal(run.GetProperty("run_id").GetString(), runs.GetProperty("items")[0].GetProperty("run_id").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a-wrong-key-of-the-same-length-0123456789abcdef")]
    public async Task Without_the_right_key_the_api_answers_401_and_starts_nothing(string? key)
    {
        await using var app = new FunctionsApp(_project.Root, new Dictionary<string, string?> { ["Duraflow:Runtime"] = "duraflow" });
        var headers = key is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["X-Api-Key"] = key };

        var (runs, type, problem) = await ApiInvocation.SendAsync(app, "GET", "/api/runs", headers: headers);
        var (start, _, _) = await ApiInvocation.SendAsync(app, "POST", "/api/pipelines/hello/runs", "{}", headers: headers);
        var (health, _, _) = await ApiInvocation.SendAsync(app, "GET", "/api/health", headers: headers);
        var (_, _, listed) = await ApiInvocation.SendAsync(app, "GET", "/api/runs");

        Assert.Equal(HttpStatusCode.Unauthorized, runs);
        Assert.Equal("application/problem+json", type);
        Assert.Contains(key is null ? "X-Api-Key" : "wrong", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, start);
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Empty(listed.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/runs")]
    [InlineData("/runs/some-run")]
    [InlineData("/pipelines/hello")]
    [InlineData("/signin")]
    public async Task The_dashboard_is_served_at_the_site_root_without_a_credential(string page)
    {
        await using var app = new FunctionsApp(_project.Root);

        var answer = await ApiInvocation.SendAsync(app, "GET", page, headers: new Dictionary<string, string>());
        var script = await ApiInvocation.SendAsync(app, "GET", "/assets/app.js", headers: new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("text/html", answer.ContentType);
        Assert.Contains("<script type=\"module\"", answer.Text, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", answer.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.Status);
        Assert.Equal("text/javascript", script.ContentType);
    }

    [Fact]
    public async Task A_browser_signs_in_with_the_key_and_the_secure_session_cookie_stands_for_it()
    {
        await using var app = new FunctionsApp(_project.Root, new Dictionary<string, string?> { ["Duraflow:Runtime"] = "duraflow" });
        var none = new Dictionary<string, string>();

        var wrong = await ApiInvocation.SendAsync(app, "POST", "/api/session", "{\"api_key\": \"not-the-key\"}", headers: none);
        var signIn = await ApiInvocation.SendAsync(app, "POST", "/api/session", $"{{\"api_key\": \"{FunctionsApp.ApiKey}\"}}", headers: none);
        var cookie = signIn.Headers.SetCookie.ToString();
        var session = new Dictionary<string, string> { ["Cookie"] = cookie.Split(';')[0] };
        var listed = await ApiInvocation.SendAsync(app, "GET", "/api/runs", headers: session);
        var unmarked = await ApiInvocation.SendAsync(app, "POST", "/api/pipelines/hello/runs", "{}", headers: session);
        var marked = await ApiInvocation.SendAsync(
            app, "POST", "/api/pipelines/hello/runs", "{}", headers: new Dictionary<string, string>(session) { ["X-Duraflow-Request"] = "1" });
        var state = await ApiInvocation.SendAsync(app, "GET", "/api/session", headers: session);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(HttpStatusCode.OK, signIn.Status);
        Assert.StartsWith("duraflow_session=v1.", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Equal(HttpStatusCode.Forbidden, unmarked.Status);
        Assert.Equal(HttpStatusCode.Accepted, marked.Status);
        Assert.True(state.Body.GetProperty("required").GetBoolean());
        Assert.True(state.Body.GetProperty("signed_in").GetBoolean());
        Assert.Equal("api-key", state.Body.GetProperty("mode").GetString());
    }

    [Theory]
    [InlineData("", null, "has no API key")]
    [InlineData("@Microsoft.KeyVault(VaultName=kv-test;SecretName=duraflow-api-key)", null, "Key Vault reference")]
    [InlineData("short-key", null, "32 characters or more")]
    [InlineData(FunctionsApp.ApiKey, "true", "Duraflow__Auth__Disabled")]
    public async Task Settings_that_would_leave_the_api_open_answer_503_naming_the_fix_on_every_route(string key, string? disabled, string fix)
    {
        await using var app = new FunctionsApp(_project.Root, new Dictionary<string, string?> { ["Duraflow:ApiKey"] = key, ["Duraflow:Auth:Disabled"] = disabled });

        foreach (var path in new[] { "/api/runs", "/api/health", "/", "/api/session" })
        {
            var answer = await ApiInvocation.SendAsync(app, "GET", path, headers: new Dictionary<string, string> { ["X-Api-Key"] = key });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
            Assert.Equal("application/problem+json", answer.ContentType);
            Assert.Contains(fix, answer.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Errors_are_the_apis_problems()
    {
        await using var app = new FunctionsApp(_project.Root);

        var (unknown, type, _) = await ApiInvocation.SendAsync(app, "GET", "/api/nothing-here");
        var (missing, _, problem) = await ApiInvocation.SendAsync(app, "GET", "/api/runs/nope");

        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("application/problem+json", type);
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("nope", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generating_a_block_is_refused_because_the_deployed_files_cannot_change()
    {
        _project.Write("duraflow.yaml", "name: deployed\n");
        await using var app = new FunctionsApp(_project.Root);

        var (status, _, problem) = await ApiInvocation.SendAsync(
            app, "POST", "/api/pipelines/hello/blocks/generate", """{"name":"b","kind":"sql","describe":"d","template":true}""");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("deployed package", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_project.PathOf("pipelines/hello/sql/b.sql")));
    }

    [Fact]
    public async Task With_entra_alone_the_api_asks_for_a_bearer_token_and_the_dashboard_pages_stay_open()
    {
        await using var app = new FunctionsApp(_project.Root, new Dictionary<string, string?>
        {
            ["Duraflow:ApiKey"] = "",
            ["Duraflow:Auth:Entra:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0",
            ["Duraflow:Auth:Entra:Audience"] = "api://duraflow",
        });

        var (runs, _, problem) = await ApiInvocation.SendAsync(app, "GET", "/api/runs", headers: new Dictionary<string, string>());
        var (health, _, _) = await ApiInvocation.SendAsync(app, "GET", "/api/health", headers: new Dictionary<string, string>());
        var (page, _, _) = await ApiInvocation.SendAsync(app, "GET", "/", headers: new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Unauthorized, runs);
        Assert.Contains("Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Equal(HttpStatusCode.OK, page);
    }
}

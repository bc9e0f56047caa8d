using System.Net;
using Duraflow.Tests;

namespace Duraflow.Functions.Tests;

/// <summary>
/// The <c>api</c> HTTP function, called with a request as the worker's ASP.NET Core integration hands it over: the
/// API's own pipeline answers it, with the same routes and contracts as <c>duraflow serve</c>. The function key is the
/// host's check; the API asks for no API key behind it, only for an Entra token when Entra is configured.
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
    public async Task Requests_reach_the_api_routes_with_their_path_unchanged_and_no_api_key()
    {
        await using var app = new FunctionsApp(_project.Root, new Dictionary<string, string?> { ["Duraflow:ApiKey"] = "a-key-the-host-makes-unneeded", ["Duraflow:Runtime"] = "duraflow" });

        var (status, _, pipelines) = await ApiInvocation.SendAsync(app, "GET", "/api/pipelines");
        var (started, _, run) = await ApiInvocation.SendAsync(app, "POST", "/api/pipelines/hello/runs", "{}");
        var (listed, _, runs) = await ApiInvocation.SendAsync(app, "GET", "/api/runs");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hello", pipelines.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Accepted, started);
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal(run.GetProperty("run_id").GetString(), runs.GetProperty("items")[0].GetProperty("run_id").GetString());
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
    public async Task With_entra_configured_the_api_asks_for_a_bearer_token_behind_the_function_key()
    {
        await using var app = new FunctionsApp(_project.Root, new Dictionary<string, string?>
        {
            ["Duraflow:Auth:Entra:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0",
            ["Duraflow:Auth:Entra:Audience"] = "api://duraflow",
        });

        var (runs, _, _) = await ApiInvocation.SendAsync(app, "GET", "/api/runs");
        var (health, _, _) = await ApiInvocation.SendAsync(app, "GET", "/api/health");

        Assert.Equal(HttpStatusCode.Unauthorized, runs);
        Assert.Equal(HttpStatusCode.OK, health);
    }
}

using System.Net;
using Duraflow.Api.Setup;
using Duraflow.Api.Tests.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests.Workspaces;

/// <summary>
/// Two workspaces served beside the default one (<c>Duraflow:Workspaces</c>, what <c>duraflow serve --workspace</c>
/// sets): each has its own pipelines, runs, audit log and store; a key limited to one cannot tell the others exist.
/// </summary>
public sealed class WorkspaceIsolationTests : IDisposable
{
    private readonly ApiTestProject _project = new(
        prepare: folder =>
        {
            foreach (var workspace in new[] { "sales", "ops" })
            {
                folder.Write($"{workspace}/pipelines/{workspace}_daily/pipeline.yaml", $"name: {workspace}_daily\nblocks:\n  - {{ name: a, uses: \"script:blocks/a.csx\" }}\n");
                folder.Write($"{workspace}/pipelines/{workspace}_daily/blocks/a.csx", $"return \"{workspace}\";\n");
            }
        },
        settings: folder => new Dictionary<string, string>
        {
            ["Duraflow:Workspaces:sales"] = folder.PathOf("sales"),
            ["Duraflow:Workspaces:ops"] = folder.PathOf("ops"),
            ["Duraflow:WatchFolder"] = folder.PathOf("drop"),
        });

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Each_workspace_serves_its_own_pipelines_and_keeps_its_runs_and_audit_in_its_own_store()
    {
        // Started at once in both workspaces and the default one: each lands where it was asked.
        var starts = await Task.WhenAll(
            _project.PostAsync("/api/workspaces/sales/pipelines/sales_daily/runs"),
            _project.PostAsync("/api/workspaces/ops/pipelines/ops_daily/runs"),
            _project.PostAsync("/api/pipelines/other/runs"),
            _project.PostAsync("/api/workspaces/sales/pipelines/ops_daily/runs"));
        var salesRun = starts[0].Body.GetProperty("run_id").GetString()!;
        var opsRun = starts[1].Body.GetProperty("run_id").GetString()!;
        var finished = await FinishAsync("sales", salesRun);

        var listed = await _project.GetAsync("/api/workspaces");
        var salesPipelines = await _project.GetAsync("/api/workspaces/sales/pipelines");
        var salesRuns = await _project.GetAsync("/api/workspaces/sales/runs");
        var defaultRuns = await _project.GetAsync("/api/runs");
        var salesRunShown = await _project.GetAsync($"/api/workspaces/sales/runs/{salesRun}");
        var salesAudit = await _project.GetAsync("/api/workspaces/sales/audit");
        var defaultAudit = await _project.GetAsync("/api/audit");
        var opsAskedForSalesRun = await _project.Client.GetAsync(new Uri($"/api/workspaces/ops/runs/{salesRun}", UriKind.Relative));
        var document = await _project.GetAsync("/api/workspaces/sales/openapi.json");

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.NotFound], starts.Select(s => s.Response.StatusCode));
        Assert.Equal($"/api/workspaces/sales/runs/{salesRun}", starts[0].Response.Headers.Location!.OriginalString);
        Assert.Equal($"/api/workspaces/sales/runs/{salesRun}", starts[0].Body.GetProperty("location").GetString());
        Assert.Equal(Engine.Runs.RunStatus.Succeeded, finished.Status);
        Assert.Equal(
            [("default", "/api"), ("ops", "/api/workspaces/ops"), ("sales", "/api/workspaces/sales")],
            listed.GetProperty("items").EnumerateArray().Select(w => (w.GetProperty("name").GetString(), w.GetProperty("api").GetString())));
        Assert.Equal(["sales_daily"], salesPipelines.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal([salesRun], salesRuns.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        Assert.Equal(["other"], defaultRuns.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("pipeline").GetString()));
        Assert.Equal("succeeded", salesRunShown.GetProperty("status").GetString());
        Assert.DoesNotContain(opsRun, salesRuns.GetRawText(), StringComparison.Ordinal);
        await ApiTestProject.ProblemAsync(opsAskedForSalesRun, HttpStatusCode.NotFound);
        Assert.Equal(
            ["pipeline:ops_daily", "pipeline:sales_daily"],
            salesAudit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("target").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(["pipeline:other"], defaultAudit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("target").GetString()));
        Assert.True(File.Exists(Path.Combine(_project.Root, "sales", ".duraflow", "duraflow.db")));

        // The default project's watched folder is not another project's: a file dropped there starts only its pipelines.
        var salesSettings = _project.Factory.Services.GetRequiredService<WorkspaceHosts>().All["sales"].Host.Services.GetRequiredService<IConfiguration>();
        Assert.Null(salesSettings["Duraflow:WatchFolder"]);
        Assert.Equal(Path.Combine(_project.Root, "sales"), salesSettings["Duraflow:Project"]);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/workspaces/sales/runs/{id}", out _));
        Assert.False(document.GetProperty("paths").TryGetProperty("/api/runs/{id}", out _));
        Assert.Equal("Duraflow API: workspace sales", document.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_key_limited_to_a_workspace_gets_the_same_404_for_another_as_for_one_that_does_not_exist()
    {
        var salesKey = await KeyAsync(new { name = "sales_ops", role = "operator", workspace = "sales" });
        var limitedInside = await KeyAsync(new { name = "sales_few", role = "viewer", workspace = "sales", pipelines = "nothing*" });

        var own = await SendAsync(salesKey, "/api/workspaces/sales/pipelines");
        var other = await SendAsync(salesKey, "/api/workspaces/ops/pipelines");
        var missing = await SendAsync(salesKey, "/api/workspaces/nowhere/pipelines");
        var defaultRoute = await SendAsync(salesKey, "/api/pipelines");
        var listed = await SendAsync(salesKey, "/api/workspaces");
        var globbed = await SendAsync(limitedInside, "/api/workspaces/sales/pipelines/sales_daily");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var hidden = await ApiTestProject.ProblemAsync(other, HttpStatusCode.NotFound);
        var absent = await ApiTestProject.ProblemAsync(missing, HttpStatusCode.NotFound);
        Assert.Equal(hidden.GetProperty("detail").GetString()!.Replace("ops", "nowhere", StringComparison.Ordinal), absent.GetProperty("detail").GetString());
        Assert.Equal(hidden.GetProperty("title").GetString(), absent.GetProperty("title").GetString());
        Assert.Equal(
            "key:sales_ops reaches workspace 'sales' only: its routes are under /api/workspaces/sales",
            (await ApiTestProject.ProblemAsync(defaultRoute, HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        Assert.Equal("""{"items":[{"name":"sales","api":"/api/workspaces/sales"}]}""", await listed.Content.ReadAsStringAsync());
        await ApiTestProject.ProblemAsync(globbed, HttpStatusCode.NotFound);

        // Through MCP the key acts in its workspace, and reaches no other.
        await using var mcp = await Duraflow.Tests.Mcp.McpCalls.ConnectOverHttpAsync(_project.Factory.CreateClient(), salesKey);
        var pipelines = await Duraflow.Tests.Mcp.McpCalls.CallAsync(mcp, "list_pipelines", new { });
        var ops = await Duraflow.Tests.Mcp.McpCalls.TryCallAsync(mcp, "list_pipelines", new { workspace = "ops" });
        Assert.Equal(["sales_daily"], pipelines.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.True(ops.IsError);
        Assert.Contains("no workspace named 'ops'", Duraflow.Tests.Mcp.McpCalls.Text(ops), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/workspaces/SALES/pipelines", "Workspace not found")]
    [InlineData("/api/workspaces/sales%2F..%2Fops/pipelines", "Workspace not found")]
    [InlineData("/api/workspaces//pipelines", "Workspace not found")]
    [InlineData("/api/workspaces/default/pipelines", "Workspace not found")]
    [InlineData("/api/workspaces/sales/keys", "/api/keys is served once for every workspace")]
    [InlineData("/api/workspaces/sales/session", "/api/session is served once for every workspace")]
    [InlineData("/api/workspaces/sales/workspaces", "/api/workspaces is served once for every workspace")]
    [InlineData("/api/workspaces/sales/nothing", "there is no route GET /api/workspaces/sales/nothing;")]
    public async Task A_path_that_names_no_served_workspace_or_a_route_the_server_serves_once_is_a_404(string path, string says)
    {
        var answer = await _project.Client.GetAsync(new Uri(path, UriKind.Relative));

        var problem = await ApiTestProject.ProblemAsync(answer, HttpStatusCode.NotFound);
        Assert.Contains(says, problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workspace_route_without_a_credential_is_a_401_whether_or_not_the_workspace_exists()
    {
        using var anonymous = _project.Factory.CreateClient();

        var served = await anonymous.GetAsync(new Uri("/api/workspaces/sales/health", UriKind.Relative));
        var missing = await anonymous.GetAsync(new Uri("/api/workspaces/nowhere/health", UriKind.Relative));

        await ApiTestProject.ProblemAsync(served, HttpStatusCode.Unauthorized);
        await ApiTestProject.ProblemAsync(missing, HttpStatusCode.Unauthorized);
    }

    private async Task<Engine.Runs.RunState> FinishAsync(string workspace, string runId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var host = _project.Factory.Services.GetRequiredService<WorkspaceHosts>().All[workspace];
        var local = await host.Host.Services.GetRequiredService<SharedEngine>().GetAsync(timeout.Token);
        return await local.RunUntilFinishedAsync(runId, null, timeout.Token);
    }

    private async Task<string> KeyAsync(object body)
    {
        var (response, created) = await _project.PostAsync("/api/keys", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return created.GetProperty("key").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(string key, string path)
    {
        using var anonymous = _project.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Api-Key", key);
        var response = await anonymous.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}

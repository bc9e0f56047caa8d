using System.Net;
using System.Text;
using Duraflow.Api.Auth;
using Duraflow.Api.Setup;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests.Http;

/// <summary>
/// Every route of the API against every kind of caller (Entra tokens of each role, the configured key, stored keys of
/// each role): no credential (401), a role that lacks the route's
/// permission (403 naming it), and a role that has it (the route's own answer). The routes are listed here by hand,
/// with the permission each needs, and the list must be exactly what the app serves. The same routes are called in a
/// second workspace too, and by keys limited to one workspace, which get 404 everywhere else.
/// </summary>
public sealed class ApiPermissionMatrixTests : EntraTestProject
{
    private const string Audience = "api://duraflow-matrix";
    private const string Key = "matrix-key-51e0";
    private const string LegacyAdminRole = "Pipelines.Everything";

    // Method, route as mapped, the path sent ({run} is a finished run), the body, the permission (null: open) and
    // what a caller who has it gets.
    private static readonly Route[] Routes =
    [
        new("GET", "/api/health", "/api/health", null, null, HttpStatusCode.OK),
        new("GET", "/api/session", "/api/session", null, null, HttpStatusCode.OK),
        new("POST", "/api/session", "/api/session", """{"api_key":"wrong"}""", null, HttpStatusCode.Unauthorized),
        new("DELETE", "/api/session", "/api/session", null, null, HttpStatusCode.OK),
        new("GET", "/api/ready", "/api/ready", null, ApiPermission.Read, HttpStatusCode.OK),
        new("GET", "/api/{documentName}.json", "/api/openapi.json", null, ApiPermission.Read, HttpStatusCode.OK),
        new("GET", "/api/pipelines", "/api/pipelines", null, ApiPermission.Read, HttpStatusCode.OK),
        new("GET", "/api/pipelines/{name}", "/api/pipelines/p", null, ApiPermission.Read, HttpStatusCode.OK),
        new("POST", "/api/pipelines/{name}/runs", "/api/pipelines/p/runs", "{}", ApiPermission.Operate, HttpStatusCode.Accepted),
        new("GET", "/api/runs", "/api/runs", null, ApiPermission.Read, HttpStatusCode.OK),
        new("POST", "/api/runs/purge", "/api/runs/purge", """{"older_than":"30d"}""", ApiPermission.Administer, HttpStatusCode.OK),
        new("GET", "/api/runs/{id}", "/api/runs/{run}", null, ApiPermission.Read, HttpStatusCode.OK),
        new("POST", "/api/runs/{id}/cancel", "/api/runs/{run}/cancel", "{}", ApiPermission.Operate, HttpStatusCode.Conflict),
        new("POST", "/api/runs/{id}/retry", "/api/runs/{run}/retry", "{}", ApiPermission.Operate, HttpStatusCode.Conflict),
        new("POST", "/api/runs/{id}/signals/{name}", "/api/runs/{run}/signals/go", "{}", ApiPermission.Operate, HttpStatusCode.Conflict),
        new("GET", "/api/runs/{id}/logs", "/api/runs/{run}/logs", null, ApiPermission.Read, HttpStatusCode.OK),
        new("GET", "/api/runs/{id}/timeline", "/api/runs/{run}/timeline", null, ApiPermission.Read, HttpStatusCode.OK),
        new("GET", "/api/runs/{id}/stream", "/api/runs/{run}/stream", null, ApiPermission.Read, HttpStatusCode.OK),
        new("GET", "/api/runs/{id}/outputs/{key}", "/api/runs/{run}/outputs/a", null, ApiPermission.Read, HttpStatusCode.OK),
        new("GET", "/api/schedules", "/api/schedules", null, ApiPermission.Read, HttpStatusCode.OK),
        new("POST", "/api/pipelines/{name}/schedules/pause", "/api/pipelines/p/schedules/pause", "{}", ApiPermission.Operate, HttpStatusCode.OK),
        new("POST", "/api/pipelines/{name}/schedules/resume", "/api/pipelines/p/schedules/resume", "{}", ApiPermission.Operate, HttpStatusCode.OK),
        new("POST", "/api/pipelines/{name}/backfills", "/api/pipelines/p/backfills", """{"from":"2026-11-01","to":"2026-11-02"}""", ApiPermission.Operate, HttpStatusCode.Accepted),
        new("GET", "/api/backfills", "/api/backfills", null, ApiPermission.Read, HttpStatusCode.OK),
        new("GET", "/api/backfills/{id}", "/api/backfills/nope", null, ApiPermission.Read, HttpStatusCode.NotFound),
        new("POST", "/api/backfills/{id}/cancel", "/api/backfills/nope/cancel", "{}", ApiPermission.Operate, HttpStatusCode.NotFound),
        new("GET", "/api/cache", "/api/cache", null, ApiPermission.Read, HttpStatusCode.OK),
        new("DELETE", "/api/cache", "/api/cache", null, ApiPermission.Administer, HttpStatusCode.OK),
        new("GET", "/api/pipelines/{name}/checkpoints", "/api/pipelines/p/checkpoints", null, ApiPermission.Read, HttpStatusCode.OK),
        new("PUT", "/api/pipelines/{name}/checkpoints/{checkpoint}", "/api/pipelines/p/checkpoints/since", """{"value":1}""", ApiPermission.Administer, HttpStatusCode.OK),
        new("DELETE", "/api/pipelines/{name}/checkpoints/{checkpoint}", "/api/pipelines/p/checkpoints/since", null, ApiPermission.Administer, HttpStatusCode.OK),
        new("DELETE", "/api/pipelines/{name}/checkpoints", "/api/pipelines/p/checkpoints", null, ApiPermission.Administer, HttpStatusCode.OK),
        new("GET", "/api/keys", "/api/keys", null, ApiPermission.Administer, HttpStatusCode.OK),
        new("GET", "/api/audit", "/api/audit", null, ApiPermission.Administer, HttpStatusCode.OK),
        new("POST", "/api/keys", "/api/keys", """{"name":"m","role":"owner"}""", ApiPermission.Administer, HttpStatusCode.BadRequest),
        new("DELETE", "/api/keys/{name}", "/api/keys/nobody", null, ApiPermission.Administer, HttpStatusCode.NotFound),
        new("POST", "/api/events/blob", "/api/events/blob", "[]", ApiPermission.Operate, HttpStatusCode.OK),
        new("OPTIONS", "/api/events/blob", "/api/events/blob", null, ApiPermission.Operate, HttpStatusCode.BadRequest),
        new("GET", "/api/workspaces", "/api/workspaces", null, ApiPermission.Read, HttpStatusCode.OK),
        new("GET", "/api/diagnostics", "/api/diagnostics", null, ApiPermission.Read, HttpStatusCode.OK),
        new("GET", "/api/pipelines/{name}/source", "/api/pipelines/p/source", null, ApiPermission.Read, HttpStatusCode.OK),
        new("POST", "/api/pipelines/{name}/blocks/generate", "/api/pipelines/p/blocks/generate", """{"name":"b","kind":"python","describe":"d"}""", ApiPermission.Administer, HttpStatusCode.BadRequest),
    ];

    // The routes the server serves once for every workspace, and so not inside one.
    private static readonly string[] ServerOnly = ["/api/session", "/api/keys", "/api/workspaces"];

    private const string Pipeline = """
        name: p
        triggers:
          - schedule: { cron: "0 6 * * *" }
        blocks:
          - { name: a, uses: "script:blocks/a.csx" }
        """;

    // The default workspace's project, and the project of workspace w beside it.
    public ApiPermissionMatrixTests()
    {
        Folder.Write("pipelines/p/pipeline.yaml", Pipeline);
        Folder.Write("w/pipelines/p/pipeline.yaml", Pipeline);
        Folder.Write("w/pipelines/p/blocks/a.csx", "return 1;\n");
    }

    [Fact]
    public void The_matrix_lists_every_served_route_and_each_declares_the_permission_listed()
    {
        using var factory = Factory();
        var served = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Route: $"{m} {e.RoutePattern.RawText}", e.Metadata.GetMetadata<RequiredPermission>())))
            .ToDictionary(r => r.Route, r => r.Item2);

        Assert.Equal(Routes.Select(r => $"{r.Method} {r.Mapped}").Order(StringComparer.Ordinal), served.Keys.Order(StringComparer.Ordinal));
        foreach (var route in Routes)
        {
            var declared = served[$"{route.Method} {route.Mapped}"];
            Assert.True(declared is not null && declared.Permission == route.Permission, $"{route.Method} {route.Mapped} declares {declared?.Permission.ToString() ?? "nothing"}");
        }
    }

    [Fact]
    public async Task Every_route_answers_each_caller_by_its_role()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        var runId = await FinishedRunAsync(factory, client);
        var callers = new (string Name, string? Header, string? Value, ApiRole? Role)[]
        {
            ("no credential", null, null, null),
            ("viewer token", "Authorization", "Bearer " + OpenId.Token(Audience, roles: ["Duraflow.Viewer"]), ApiRole.Viewer),
            ("operator token", "Authorization", "Bearer " + OpenId.Token(Audience, roles: ["Other", "Duraflow.Operator"]), ApiRole.Operator),
            ("admin token", "Authorization", "Bearer " + OpenId.Token(Audience, roles: ["Duraflow.Admin"]), ApiRole.Admin),
            ("viewer and operator token", "Authorization", "Bearer " + OpenId.Token(Audience, roles: ["Duraflow.Viewer", "Duraflow.Operator"]), ApiRole.Operator),
            ("RequiredRole token", "Authorization", "Bearer " + OpenId.Token(Audience, roles: [LegacyAdminRole]), ApiRole.Admin),
            ("the API key", "X-Api-Key", Key, ApiRole.Admin),
            ("viewer key", "X-Api-Key", await StoredKeyAsync(client, "viewer"), ApiRole.Viewer),
            ("operator key", "Authorization", "ApiKey " + await StoredKeyAsync(client, "operator"), ApiRole.Operator),
            ("admin key", "X-Api-Key", await StoredKeyAsync(client, "admin"), ApiRole.Admin),
        };

        var failures = await CallEveryRouteAsync(client, [.. callers.Select(c => new Caller(c.Name, c.Header, c.Value, c.Role, null))], Routes, ServedWorkspace.Default, runId);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_route_of_another_workspace_answers_each_caller_by_its_role_and_keys_limited_to_one_workspace_get_404_elsewhere()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        var workspace = ServedWorkspace.Named("w");
        var runId = await FinishedRunAsync(factory, client, workspace);
        Caller[] callers =
        [
            new("no credential", null, null, null, null),
            new("viewer token", "Authorization", "Bearer " + OpenId.Token(Audience, roles: ["Duraflow.Viewer"]), ApiRole.Viewer, null),
            new("admin token", "Authorization", "Bearer " + OpenId.Token(Audience, roles: ["Duraflow.Admin"]), ApiRole.Admin, null),
            new("the API key", "X-Api-Key", Key, ApiRole.Admin, null),
            new("viewer key", "X-Api-Key", await StoredKeyAsync(client, "viewer"), ApiRole.Viewer, null),
            new("operator key of w", "X-Api-Key", await StoredKeyAsync(client, "operator", "w"), ApiRole.Operator, "w"),
            new("admin key of w", "X-Api-Key", await StoredKeyAsync(client, "admin", "w"), ApiRole.Admin, "w"),
            new("admin key of default", "X-Api-Key", await StoredKeyAsync(client, "admin", "default"), ApiRole.Admin, "default"),
            new("admin key of a workspace not served", "X-Api-Key", await StoredKeyAsync(client, "admin", "gone"), ApiRole.Admin, "gone"),
        ];
        var defaultRun = await FinishedRunAsync(factory, client);
        var insideW = Routes.Where(r => !ServerOnly.Any(only => r.Mapped.StartsWith(only, StringComparison.Ordinal)))
            .Select(r => r with { Path = workspace.ApiBase + r.Path["/api".Length..] }).ToArray();

        var failures = await CallEveryRouteAsync(client, callers, insideW, workspace, runId);
        failures.AddRange(await CallEveryRouteAsync(client, [.. callers.Where(c => c.Workspace is not null)], Routes, ServedWorkspace.Default, defaultRun));

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // Calls each route as each caller in the workspace that serves it; returns what answered otherwise than expected.
    private static async Task<List<string>> CallEveryRouteAsync(HttpClient client, IReadOnlyList<Caller> callers, IReadOnlyList<Route> routes, ServedWorkspace served, string runId)
    {
        var failures = new List<string>();
        foreach (var (name, header, value, role, only) in callers)
        {
            foreach (var route in routes)
            {
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(route.Path.Replace("{run}", runId, StringComparison.Ordinal), UriKind.Relative));
                if (header is not null)
                {
                    request.Headers.TryAddWithoutValidation(header, value);
                }

                if (route.Body is not null)
                {
                    request.Content = new StringContent(route.Body, Encoding.UTF8, "application/json");
                }

                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var expected = Expected(route, role, only, served);
                if (response.StatusCode != expected)
                {
                    failures.Add($"{name}: {route.Method} {route.Path} answered {(int)response.StatusCode}, not {(int)expected}: {body}");
                }
                else if (expected == HttpStatusCode.Forbidden && only is not null && route.Mapped.StartsWith("/api/keys", StringComparison.Ordinal))
                {
                    if (!body.Contains("acts on every workspace", StringComparison.Ordinal))
                    {
                        failures.Add($"{name}: {route.Method} {route.Path}'s 403 does not say the route acts on every workspace: {body}");
                    }
                }
                else if (expected == HttpStatusCode.Forbidden && !body.Contains($"\"missing_permission\":\"{route.Permission!.Value.Name()}\"", StringComparison.Ordinal))
                {
                    failures.Add($"{name}: {route.Method} {route.Path}'s 403 does not name the '{route.Permission.Value.Name()}' permission: {body}");
                }
            }
        }

        return failures;
    }

    // Open routes are open at the server's own paths only; a workspace another key is limited to answers 404 before
    // its permission is looked at (another workspace as if it did not exist); keys act on every workspace, so a key
    // limited to one, even the default, is refused them.
    private static HttpStatusCode Expected(Route route, ApiRole? role, string? only, ServedWorkspace served)
    {
        var open = route.Permission is null;
        if (open && served == ServedWorkspace.Default)
        {
            return route.Allowed;
        }

        if (role is null)
        {
            return HttpStatusCode.Unauthorized;
        }

        if (served != ServedWorkspace.Default && !served.Admits(only))
        {
            return HttpStatusCode.NotFound;
        }

        if (open)
        {
            return route.Allowed;
        }

        if (!served.Admits(only) && route.Mapped != ServedWorkspace.Routes)
        {
            return HttpStatusCode.NotFound;
        }

        if (only is not null && route.Mapped.StartsWith("/api/keys", StringComparison.Ordinal))
        {
            return HttpStatusCode.Forbidden;
        }

        return role.Value.Grants(route.Permission!.Value) ? route.Allowed : HttpStatusCode.Forbidden;
    }

    [Fact]
    public async Task A_refusal_names_the_permission_the_roles_that_grant_it_and_the_callers_role_and_changes_nothing()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/pipelines/p/schedules/pause", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + OpenId.Token(Audience, roles: ["Duraflow.Viewer"]));
        request.Content = new StringContent("{}", Encoding.UTF8, "application/json");

        var response = await client.SendAsync(request);

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(
            "POST /api/pipelines/p/schedules/pause needs the 'operate' permission, which the operator or admin role grants; entra:00000000-0000-0000-0000-0000000000aa has the viewer role",
            problem.GetProperty("detail").GetString());
        Assert.Equal("viewer", problem.GetProperty("role").GetString());
        using var schedules = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/schedules", UriKind.Relative));
        schedules.Headers.Add("X-Api-Key", Key);
        var listed = await ApiTestProject.ReadAsync(await client.SendAsync(schedules));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("items")[0].GetProperty("paused").ValueKind);
    }

    private static async Task<string> StoredKeyAsync(HttpClient client, string role, string? workspace = null)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/keys", UriKind.Relative));
        create.Headers.Add("X-Api-Key", Key);
        var body = System.Text.Json.JsonSerializer.Serialize(new { name = $"{role}_{workspace ?? "all"}", role, workspace });
        create.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return (await ApiTestProject.ReadAsync(await client.SendAsync(create))).GetProperty("key").GetString()!;
    }

    private static async Task<string> FinishedRunAsync(WebApplicationFactory<ApiFactory> factory, HttpClient client, ServedWorkspace? workspace = null)
    {
        workspace ??= ServedWorkspace.Default;
        using var start = new HttpRequestMessage(HttpMethod.Post, new Uri($"{workspace.ApiBase}/pipelines/p/runs", UriKind.Relative));
        start.Headers.Add("X-Api-Key", Key);
        start.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        var runId = (await ApiTestProject.ReadAsync(await client.SendAsync(start))).GetProperty("run_id").GetString()!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var services = workspace == ServedWorkspace.Default ? factory.Services : factory.Services.GetRequiredService<WorkspaceHosts>().All[workspace.Name].Host.Services;
        var local = await services.GetRequiredService<SharedEngine>().GetAsync(timeout.Token);
        await local.RunUntilFinishedAsync(runId, null, timeout.Token);
        return runId;
    }

    private WebApplicationFactory<ApiFactory> Factory() =>
        new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", Folder.Root);
            b.UseSetting("Duraflow:ApiKey", Key);
            b.UseSetting("Duraflow:LocalWorkers", "false");
            b.UseSetting("Duraflow:Schedules", "false");
            b.UseSetting("Duraflow:Auth:Entra:Authority", OpenId.Authority);
            b.UseSetting("Duraflow:Auth:Entra:Audience", Audience);
            b.UseSetting("Duraflow:Auth:Entra:RequiredRole", LegacyAdminRole);
            b.UseSetting("Duraflow:Workspaces:w", Folder.PathOf("w"));
        });

    private sealed record Route(string Method, string Mapped, string Path, string? Body, ApiPermission? Permission, HttpStatusCode Allowed);

    // Who calls: the header that carries the credential, the role it grants, and the one workspace it is limited to.
    private sealed record Caller(string Name, string? Header, string? Value, ApiRole? Role, string? Workspace);
}

using Duraflow.Api.Auth;

namespace Duraflow.Api.Setup;

/// <summary>
/// Hands a request for <c>/api/workspaces/NAME/…</c> to that workspace, once the server has checked its caller: the
/// request goes on as <c>/api/…</c> through the workspace's own request pipeline and services (its store, catalog,
/// audit log and rate limits), so every route works there as it does for the default workspace. A workspace that is
/// not served, and one the caller's key does not reach, answer the same 404.
/// </summary>
/// <remarks>
/// Keys, the dashboard's sign-in and the list of workspaces are the server's, for every workspace, and are not served
/// again inside one.
/// </remarks>
internal sealed class WorkspaceRouting(RequestDelegate next, WorkspaceHosts hosts)
{
    private static readonly string[] ServerRoutes = ["/keys", "/session", "/workspaces"];

    // Built when the pipeline is, so a misconfigured workspace fails the start rather than the first request.
    private readonly IReadOnlyDictionary<string, WorkspaceHost> _hosts = hosts.All;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(ServedWorkspace.Routes, StringComparison.OrdinalIgnoreCase, out var rest) || rest.Value is null or "" or "/")
        {
            await next(context);
            return;
        }

        var value = rest.Value;
        var end = value.IndexOf('/', 1);
        var name = end < 0 ? value[1..] : value[1..end];
        var inside = end < 0 ? "" : value[end..];
        if (!_hosts.TryGetValue(name, out var host) || ApiCaller.Of(context) is not { } caller || !host.Workspace.Admits(caller.Workspace))
        {
            await ServedWorkspace.NotFound(name).ExecuteAsync(context);
            return;
        }

        if (ServerRoutes.FirstOrDefault(route => new PathString(inside).StartsWithSegments(route, StringComparison.OrdinalIgnoreCase)) is { } serverRoute)
        {
            await Results.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Not Found",
                detail: $"{ServedWorkspace.Default.ApiBase}{serverRoute} is served once for every workspace; call it there").ExecuteAsync(context);
            return;
        }

        var (services, path) = (context.RequestServices, request.Path);
        await using var scope = host.Host.Services.CreateAsyncScope();
        try
        {
            context.RequestServices = scope.ServiceProvider;
            request.Path = ServedWorkspace.Default.ApiBase + inside;
            await host.Pipeline(context);
        }
        finally
        {
            context.RequestServices = services;
            request.Path = path;
        }
    }
}

namespace Duraflow.Api.Auth;

/// <summary>
/// Runs after routing, so it knows the route: lets a request through when its caller's role grants the permission the
/// route declares (<see cref="RoutePermissions"/>), and otherwise answers 403 with a problem that names the missing
/// permission, the roles that grant it and the caller's role. Who the caller is was settled before routing by
/// <see cref="ApiKeyMiddleware"/>, so a request without a valid credential never gets this far. Before the permission,
/// it keeps a caller limited to one workspace (a key made with <c>--workspace W</c>) inside it: a route of another
/// workspace answers 404 whatever the role (other workspaces' routes are refused before they are routed, by the
/// server, as workspaces that do not exist), and the routes that act on every workspace (keys) answer 403.
/// </summary>
internal sealed class PermissionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ServedWorkspace workspace)
    {
        // No route matched: the 404 that follows reveals nothing a credential would not.
        if (context.GetEndpoint() is not { } endpoint)
        {
            await next(context);
            return;
        }

        // Routing's own endpoints (the 405 for a known route's wrong method) are not route endpoints, and say nothing.
        var required = endpoint.Metadata.GetMetadata<RequiredPermission>();
        if (required is { Permission: null } || (required is null && endpoint is not RouteEndpoint))
        {
            await next(context);
            return;
        }

        var caller = ApiCaller.Of(context);
        if (caller is { Workspace: { } only } && required is not null && WorkspaceRefusal(context, endpoint, caller, only, workspace) is { } outside)
        {
            await outside.ExecuteAsync(context);
            return;
        }

        if (required?.Permission is { } permission && caller is not null && caller.Role.Grants(permission))
        {
            await next(context);
            return;
        }

        await Refuse(context, required?.Permission, caller).ExecuteAsync(context);
    }

    private static IResult? WorkspaceRefusal(HttpContext context, Endpoint endpoint, ApiCaller caller, string only, ServedWorkspace workspace)
    {
        if (!workspace.Admits(only))
        {
            // Only the default workspace is named: every caller knows it exists. Another one is never named.
            return endpoint.Metadata.GetMetadata<InEveryWorkspace>() is not null ? null
                : workspace != ServedWorkspace.Default ? ServedWorkspace.NotFound(workspace.Name)
                : Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Not Found",
                    detail: $"{caller.Name} reaches workspace '{only}' only: its routes are under {ServedWorkspace.Named(only).ApiBase}");
        }

        return endpoint.Metadata.GetMetadata<ActsAcrossWorkspaces>() is null ? null : Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: $"{context.Request.Method} {RequestPaths.Shown(context)} acts on every workspace, and {caller.Name} is limited to workspace '{only}'",
            extensions: new Dictionary<string, object?> { ["workspace"] = only });
    }

    private static IResult Refuse(HttpContext context, ApiPermission? permission, ApiCaller? caller)
    {
        var route = $"{context.Request.Method} {RequestPaths.Shown(context)}";
        if (permission is not { } needed)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: $"{route} declares no permission, so it is refused to everyone; this is a bug in Duraflow");
        }

        var roles = string.Join(" or ", ApiRoles.All.Where(r => r.Grants(needed)).Select(r => r.Name()));
        var who = caller is null ? "this caller has no role" : $"{caller.Name} has the {caller.Role.Name()} role";
        return Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: $"{route} needs the '{needed.Name()}' permission, which the {roles} role grants; {who}",
            extensions: new Dictionary<string, object?> { ["missing_permission"] = needed.Name(), ["role"] = caller?.Role.Name() });
    }
}

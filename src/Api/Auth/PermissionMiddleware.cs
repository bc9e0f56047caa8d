namespace Duraflow.Api.Auth;

/// <summary>
/// Runs after routing, so it knows the route: lets a request through when its caller's role grants the permission the
/// route declares (<see cref="RoutePermissions"/>), and otherwise answers 403 with a problem that names the missing
/// permission, the roles that grant it and the caller's role. Who the caller is was settled before routing by
/// <see cref="ApiKeyMiddleware"/>, so a request without a valid credential never gets this far.
/// </summary>
internal sealed class PermissionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
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
        if (required?.Permission is { } permission && caller is not null && caller.Role.Grants(permission))
        {
            await next(context);
            return;
        }

        await Refuse(context, required?.Permission, caller).ExecuteAsync(context);
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

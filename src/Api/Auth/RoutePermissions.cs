namespace Duraflow.Api.Auth;

/// <summary>The permission a route needs, as endpoint metadata that <see cref="PermissionMiddleware"/> reads.</summary>
/// <param name="Permission">The permission, or null for a route anyone may call (<see cref="OpenPaths"/>).</param>
internal sealed record RequiredPermission(ApiPermission? Permission);

/// <summary>Marks a route that acts on every pipeline at once (keys, purges, the whole cache, blob events), which a
/// caller limited to some pipelines may not use.</summary>
internal sealed record ActsAcrossPipelines;

/// <summary>Marks a route a caller limited to one workspace may use in every workspace (the list of workspaces).</summary>
internal sealed record InEveryWorkspace;

/// <summary>Marks a route that acts on every workspace (keys: a new key could reach any), which a caller limited to one
/// workspace may not use, even the default workspace's caller.</summary>
internal sealed record ActsAcrossWorkspaces;

/// <summary>How routes declare what they need. A route that declares nothing is refused to everyone: a forgotten
/// declaration closes a route rather than opening it.</summary>
internal static class RoutePermissions
{
    /// <summary>The route needs <paramref name="permission"/>.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, ApiPermission permission)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RequiredPermission(permission));

    /// <summary>The route acts on every pipeline at once: refused to a caller limited to some (<see cref="ApiCaller.Pipelines"/>).</summary>
    public static TBuilder AcrossPipelines<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ActsAcrossPipelines());

    /// <summary>The route is served the same to callers of every workspace: a caller limited to another one is not refused it.</summary>
    public static TBuilder InEveryWorkspace<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new InEveryWorkspace());

    /// <summary>The route acts on every workspace: refused to a caller limited to one (<see cref="ApiCaller.Workspace"/>).</summary>
    public static TBuilder AcrossWorkspaces<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ActsAcrossWorkspaces());

    /// <summary>The route needs no credential (liveness, the sign-in, the dashboard's pages and scripts).</summary>
    public static TBuilder Open<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RequiredPermission(null));
}

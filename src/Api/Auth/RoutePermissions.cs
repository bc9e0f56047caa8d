namespace Duraflow.Api.Auth;

/// <summary>The permission a route needs, as endpoint metadata that <see cref="PermissionMiddleware"/> reads.</summary>
/// <param name="Permission">The permission, or null for a route anyone may call (<see cref="OpenPaths"/>).</param>
internal sealed record RequiredPermission(ApiPermission? Permission);

/// <summary>How routes declare what they need. A route that declares nothing is refused to everyone: a forgotten
/// declaration closes a route rather than opening it.</summary>
internal static class RoutePermissions
{
    /// <summary>The route needs <paramref name="permission"/>.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, ApiPermission permission)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RequiredPermission(permission));

    /// <summary>The route needs no credential (liveness, the sign-in, the dashboard's pages and scripts).</summary>
    public static TBuilder Open<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RequiredPermission(null));
}

namespace Duraflow.Api.Auth;

/// <summary>What a route that changes something records in the audit log: its action and the target it acts on.</summary>
/// <param name="Action">The action, such as <c>run.cancel</c>.</param>
/// <param name="Target">The target, with route values in braces: <c>run:{id}</c>; empty for the whole store.</param>
internal sealed record AuditedRoute(string Action, string Target);

/// <summary>How routes declare that the audit middleware (Api.Http) records them.</summary>
internal static class AuditedRoutes
{
    /// <summary>Each call of the route is recorded as <paramref name="action"/> on <paramref name="target"/>.</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action, string target = "")
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AuditedRoute(action, target));
}

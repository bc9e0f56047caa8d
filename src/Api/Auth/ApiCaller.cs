namespace Duraflow.Api.Auth;

/// <summary>
/// Who a request comes from, as <see cref="ApiKeyMiddleware"/> let it in, and the role that decides what it may do.
/// </summary>
/// <param name="Kind">How it was let in: <c>key</c>, <c>session</c> (the dashboard, signed in with a key), <c>entra</c>, or <c>local</c> (a loopback server without auth).</param>
/// <param name="Name">Who, as audit entries and signals' <c>by</c> record it.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Pipelines">A glob of the pipelines it may see and act on (a stored key's <c>--pipelines</c>), or null for all.</param>
/// <param name="Workspace">The one workspace it may reach (a stored key's <c>--workspace</c>), or null for all.</param>
internal sealed record ApiCaller(string Kind, string Name, ApiRole Role, string? Pipelines = null, string? Workspace = null)
{
    /// <summary>Where the middleware leaves the caller on the request.</summary>
    public const string ItemKey = "duraflow.caller";

    // Who a dashboard session stands for; null when the caller is that principal itself.
    private string? _sessionOf;

    /// <summary>The key or user the caller stands for: a dashboard session's is the credential it signed in with.</summary>
    public string Principal => _sessionOf ?? Name;

    /// <summary>This caller as a dashboard session signed in with its credential: same role and scope, named as a session.</summary>
    public ApiCaller AsSession() => this with { Kind = "session", Name = $"{Name} (dashboard session)", _sessionOf = Name };

    /// <summary>The caller of a request the middleware let in, or null (an open path).</summary>
    public static ApiCaller? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[ItemKey] as ApiCaller;
    }

    /// <summary>Leaves <paramref name="caller"/> on the request.</summary>
    public static void Set(HttpContext context, ApiCaller caller)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[ItemKey] = caller;
    }
}

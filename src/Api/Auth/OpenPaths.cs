namespace Duraflow.Api.Auth;

/// <summary>
/// The paths anyone may call without a credential: liveness, the sign-in (it checks the key it is given), and the
/// dashboard's pages and scripts, which hold no data (what they show they fetch from the API, signed in).
/// </summary>
internal static class OpenPaths
{
    public const string Health = "/api/health";

    public const string Session = "/api/session";

    /// <summary>The dashboard's pages: each serves the same document, which opens the page its URL names.</summary>
    public static readonly string[] DashboardPages = ["/", "/signin", "/runs", "/runs/{id}", "/pipelines/{name}"];

    /// <summary>Where the dashboard's scripts and styles are served.</summary>
    public const string Assets = "/assets";

    public static bool IsOpen(PathString path) =>
        path.Equals(Health, StringComparison.OrdinalIgnoreCase)
        || path.Equals(Session, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(Assets, StringComparison.Ordinal)
        || DashboardPages.Any(page => Matches(page, path));

    // A page pattern's {placeholder} segment stands for exactly one non-empty segment.
    private static bool Matches(string page, PathString path)
    {
        var want = page.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var have = (path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return want.Length == have.Length
            && want.Zip(have).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.Ordinal))
            && (path.Value?.EndsWith('/') != true || path.Value == "/");
    }
}

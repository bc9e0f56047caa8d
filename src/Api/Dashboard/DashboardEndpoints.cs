using System.Collections.Frozen;
using System.Reflection;
using Duraflow.Api.Auth;
using Microsoft.Extensions.Options;

namespace Duraflow.Api.Dashboard;

/// <summary>
/// The dashboard: plain HTML, CSS and JavaScript modules embedded in this assembly (docs/dashboard.md says why no
/// framework), served at <c>/</c> and at each page's own URL, so a deep link or a reload opens that page. The pages
/// need no key: they hold no data, and every call they make goes through the API and its sign-in. No inline script
/// or style, so the Content-Security-Policy allows scripts and styles from this origin only.
/// </summary>
internal static class DashboardEndpoints
{
    private const string Prefix = "dashboard/";

    private const string PolicyStart = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

    private const string PolicyEnd = "; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".png"] = "image/png",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Read once: the assets are part of the build, like the code that serves them.
    private static readonly FrozenDictionary<string, byte[]> Assets = Load();

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        foreach (var page in OpenPaths.DashboardPages)
        {
            app.MapGet(page, (HttpContext context) => Serve(context, "index.html")).ExcludeFromDescription().Open();
        }

        app.MapGet(OpenPaths.Assets + "/{*file}", (string file, HttpContext context) => Serve(context, file)).ExcludeFromDescription().Open();
    }

    // With Entra sign-in the page redeems its authorization code at the authority's token endpoint itself (a
    // single-page app's PKCE flow), so that origin, and only that one, is added to connect-src.
    private static string PolicyFor(EntraAuthOptions entra) =>
        entra.DashboardEnabled && Uri.TryCreate(entra.Authority, UriKind.Absolute, out var authority)
            ? $"{PolicyStart} {authority.GetLeftPart(UriPartial.Authority)}{PolicyEnd}"
            : PolicyStart + PolicyEnd;

    private static IResult Serve(HttpContext context, string file)
    {
        if (!Assets.TryGetValue(file, out var content) || !ContentTypes.TryGetValue(Path.GetExtension(file), out var type))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = PolicyFor(context.RequestServices.GetRequiredService<IOptions<ApiAuthOptions>>().Value.Auth.Entra);
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Results.Bytes(content, type);
    }

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(name => name[Prefix.Length..], name => Read(assembly, name), StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

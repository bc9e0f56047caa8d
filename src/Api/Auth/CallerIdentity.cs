namespace Duraflow.Api.Auth;

/// <summary>
/// Who made a request, as a signal's <c>by</c>, a pause's author and an audit entry record it (a caller cannot set it
/// in a body): the signed-in user or app of an Entra token as <c>entra:NAME (oid OBJECT-ID)</c>, else the key or
/// session that let the request in (<see cref="ApiCaller.Name"/>).
/// </summary>
internal static class CallerIdentity
{
    // The token's most readable name first: a user's sign-in name, then an app's id, then the stable object id.
    private static readonly string[] NameClaims = ["preferred_username", "upn", "unique_name", "email", "azp", "appid", "oid", "sub"];

    /// <summary>The caller of <paramref name="context"/>'s request.</summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity?.IsAuthenticated == true
            && NameClaims.Select(c => context.User.FindFirst(c)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) is { } name)
        {
            // A sign-in name can change hands; the object id cannot, so it goes beside the name when it is not the name.
            var oid = context.User.FindFirst("oid")?.Value;
            return oid is { Length: > 0 } && oid != name ? $"entra:{name} (oid {oid})" : $"entra:{name}";
        }

        return ApiCaller.Of(context)?.Name ?? "anonymous";
    }
}

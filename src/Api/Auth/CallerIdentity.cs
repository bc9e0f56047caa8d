namespace Duraflow.Api.Auth;

/// <summary>
/// Who made a request, as far as the API's auth knows: the signed-in user or app of an Entra token, else how the
/// request was let in (the API key, a dashboard session signed with it, or a local server without auth). Recorded as
/// a signal's <c>by</c>, which a caller cannot set in a body. An Entra caller reads <c>entra:NAME (oid OBJECT-ID)</c>.
/// </summary>
internal static class CallerIdentity
{
    /// <summary>Where <see cref="ApiKeyMiddleware"/> leaves how it let the request in.</summary>
    public const string ItemKey = "duraflow.caller";

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

        return context.Items[ItemKey] as string ?? "anonymous";
    }
}

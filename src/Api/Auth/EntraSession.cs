using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Duraflow.Api.Auth;

/// <summary>
/// The dashboard's Entra sign-in: the browser gets an access token for the API from Entra (authorization code with
/// PKCE, as a single-page app) and hands it to <c>POST /api/session</c>, which checks it and keeps it in this
/// HttpOnly, SameSite=Strict cookie until the token expires. The API then checks the cookie's token on every request
/// exactly as it checks a bearer token (issuer, audience, lifetime, signature, the required role): nothing is signed
/// with a server secret, so every instance of the app accepts the cookie, and a user whose token lapses signs in again.
/// </summary>
internal static class EntraSession
{
    /// <summary>The cookie's name.</summary>
    public const string Name = "duraflow_entra";

    /// <summary>The authentication scheme that checks the cookie's token: a JwtBearer scheme configured as the bearer
    /// one, which reads the token this class leaves on the request instead of a header.</summary>
    public const string Scheme = "DuraflowEntraSession";

    /// <summary>The longest token kept: a cookie holds about 4 KB, name and attributes included.</summary>
    public const int LongestToken = 3800;

    // Where the token to check is left for the Scheme's handler (ApiAuthSetup's OnMessageReceived reads it).
    private const string TokenItem = "duraflow.entra-token";

    /// <summary>The token left for the JwtBearer handler on this request, if any.</summary>
    public static string? TokenFor(HttpContext context) => context.Items[TokenItem] as string;

    /// <summary>Checks <paramref name="token"/> as a bearer token and an app role that grants one of the API's roles: the caller and when the
    /// token expires, or why it is refused.</summary>
    public static async Task<(ClaimsPrincipal? Caller, DateTimeOffset Expires, string? Refusal)> CheckAsync(HttpContext context, string token, EntraAuthOptions entra)
    {
        context.Items[TokenItem] = token;
        var result = await context.AuthenticateAsync(Scheme);
        if (!result.Succeeded)
        {
            return (null, default, "the Entra ID token is not valid for this API (issuer, audience, lifetime or signature)");
        }

        if (MissingRole(result.Principal, entra) is { } missing)
        {
            return (null, default, missing);
        }

        var expires = long.TryParse(result.Principal.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : DateTimeOffset.UtcNow.AddMinutes(5);
        return (result.Principal, expires, null);
    }

    /// <summary>Why <paramref name="caller"/> is refused for granting none of the API's roles, or null.</summary>
    public static string? MissingRole(ClaimsPrincipal caller, EntraAuthOptions entra) =>
        EntraRoles.Of(caller, entra) is null ? EntraRoles.NoRole(entra) : null;
}

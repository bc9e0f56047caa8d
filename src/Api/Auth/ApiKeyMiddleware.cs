using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Duraflow.Api.Auth;

/// <summary>
/// Checks callers on every route (except <c>/api/health</c>, the sign-in and the dashboard's pages and scripts), under
/// <c>duraflow serve</c> and in the Functions app alike (whose <c>api</c> function is anonymous to the host, since a
/// browser cannot carry function keys): it takes the API key, in <c>X-Api-Key</c> or as <c>Authorization: ApiKey KEY</c>,
/// and, when <c>Duraflow:Auth:Entra</c> is set, an Entra ID token as <c>Authorization: Bearer JWT</c>. A missing or wrong credential is a 401
/// problem. A browser signed in to the dashboard presents a session cookie instead of the key (<see cref="SessionCookie"/>). Keys are compared in constant time; keys and tokens are never logged.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiAuthOptions> options, ApiAuthState state, SessionCookie sessions, StoredKeyCheck storedKeys)
{
    /// <summary>The header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The <c>Authorization</c> scheme that carries the key.</summary>
    public const string Scheme = "ApiKey";

    private const string BearerScheme = "Bearer";

    // Read when the pipeline is built, so a server that would be open fails to start rather than serving.
    private readonly ApiAuthMode _mode = state.Mode;
    private readonly bool _hasKey = !string.IsNullOrEmpty(options.Value.ApiKey);
    private readonly EntraAuthOptions _entra = options.Value.Auth.Entra;

    // The one configured key (Duraflow:ApiKey), and the dashboard sessions signed in with it, are admin: before roles
    // existed they could do everything, and whoever holds the deployment's settings holds them.
    private static readonly ApiCaller KeyCaller = new("key", "api-key", ApiRole.Admin);
    private static readonly ApiCaller SessionCaller = KeyCaller.AsSession();

    // A loopback server without auth (Duraflow:Auth:Disabled): whoever can reach it is on this machine.
    private static readonly ApiCaller LocalCaller = new("local", "local (no auth)", ApiRole.Admin);

    public async Task InvokeAsync(HttpContext context)
    {
        // A request the server made itself for a caller it already knows (an MCP tool's call of a route): only server
        // code can put a caller on a request, so nothing a client sends gets here.
        if (ApiCaller.Of(context) is not null)
        {
            await next(context);
            return;
        }

        var path = context.Request.Path;
        if (_mode == ApiAuthMode.Disabled && BrowserOrigin.Refusal(context.Request) is { } refusal)
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: refusal).ExecuteAsync(context);
            return;
        }

        if (_mode == ApiAuthMode.Disabled || !NeedsKey(path))
        {
            if (_mode == ApiAuthMode.Disabled)
            {
                ApiCaller.Set(context, LocalCaller);
            }

            await next(context);
            return;
        }

        if (_entra.Enabled && Bearer(context.Request))
        {
            var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
            if (!result.Succeeded)
            {
                await ChallengeAsync(context, BearerScheme, "the bearer token is not valid for this API (issuer, audience, lifetime or signature)");
                return;
            }

            if (EntraSession.MissingRole(result.Principal, _entra) is { } missing)
            {
                await ChallengeAsync(context, BearerScheme, missing);
                return;
            }

            SetEntraCaller(context, result.Principal);
            await next(context);
            return;
        }

        // An Entra sign-in that no longer holds (its token expired, or the settings changed) gives way to a key session
        // the browser also holds, so a stale cookie cannot lock out a user who signed in with the key since.
        var given = Presented(context.Request);
        if (_entra.Enabled && given is null && context.Request.Cookies[EntraSession.Name] is { } token
            && (await EntraSignedInAsync(context, token, fallBack: sessions.IsValid(context.Request.Cookies[SessionCookie.Name]))))
        {
            return;
        }

        // A key made by `duraflow keys create` is looked up in the store, whatever else is configured.
        if (given is not null && StoredKeys.Parse(given) is { } stored)
        {
            var (caller, why) = await storedKeys.CheckAsync(stored.Id, stored.Secret, context.RequestAborted);
            if (caller is null)
            {
                await ChallengeAsync(context, new StringValues(Scheme), why!);
                return;
            }

            ApiCaller.Set(context, caller);
            await next(context);
            return;
        }

        // A dashboard signed in with a stored key: its cookie names the key, which must still hold.
        if (given is null && context.Request.Cookies[SessionCookie.Name] is { } keyCookie && StoredKeySession.IdOf(keyCookie) is not null)
        {
            var (caller, why) = await storedKeys.CheckSessionAsync(keyCookie, context.RequestAborted);
            if (caller is null)
            {
                await ChallengeAsync(context, new StringValues(Scheme), $"{why} (POST {OpenPaths.Session})");
            }
            else if (!await RefusedBrowserChangeAsync(context))
            {
                ApiCaller.Set(context, caller);
                await next(context);
            }

            return;
        }

        if (!_hasKey)
        {
            await ChallengeAsync(context, BearerScheme, "send an Entra ID access token as 'Authorization: Bearer TOKEN'");
            return;
        }

        if (given is null && context.Request.Cookies[SessionCookie.Name] is { } cookie)
        {
            await SignedInAsync(context, cookie);
            return;
        }

        if (given is null || !sessions.KeyMatches(given))
        {
            var challenge = _entra.Enabled ? new StringValues([Scheme, BearerScheme]) : new StringValues(Scheme);
            await ChallengeAsync(
                context,
                challenge,
                given is not null ? "the API key is wrong"
                    : _entra.Enabled ? $"send the API key in the {HeaderName} header (or 'Authorization: {Scheme} KEY'), or an Entra ID access token as 'Authorization: {BearerScheme} TOKEN'"
                    : $"send the API key in the {HeaderName} header (or 'Authorization: {Scheme} KEY')");
            return;
        }

        ApiCaller.Set(context, KeyCaller);
        await next(context);
    }

    // A dashboard session stands for the key. What it cannot stand for is a request another site made the browser send:
    // a request that changes something must also carry a header that only a script of the page's own origin can add.
    private async Task SignedInAsync(HttpContext context, string cookie)
    {
        if (!sessions.IsValid(cookie))
        {
            await ChallengeAsync(context, new StringValues(Scheme), $"the dashboard session has expired or is not valid; sign in again (POST {OpenPaths.Session})");
            return;
        }

        if (await RefusedBrowserChangeAsync(context))
        {
            return;
        }

        ApiCaller.Set(context, SessionCaller);
        await next(context);
    }

    // A dashboard signed in with Entra: the cookie's token is checked as a bearer token would be, on every request.
    // False, having answered nothing, when the token does not hold and the caller may fall back to the key session.
    private async Task<bool> EntraSignedInAsync(HttpContext context, string token, bool fallBack)
    {
        var (caller, _, refusal) = await EntraSession.CheckAsync(context, token, _entra);
        if (caller is null)
        {
            if (fallBack)
            {
                return false;
            }

            await ChallengeAsync(context, new StringValues(BearerScheme), $"{refusal}: the dashboard's Entra sign-in has expired or is not valid; sign in again");
            return true;
        }

        if (!await RefusedBrowserChangeAsync(context))
        {
            SetEntraCaller(context, caller);
            await next(context);
        }

        return true;
    }

    // The Entra caller's role; the token was checked to grant one (EntraSession.MissingRole) before it got here.
    private void SetEntraCaller(HttpContext context, System.Security.Claims.ClaimsPrincipal principal)
    {
        context.User = principal;
        ApiCaller.Set(context, new ApiCaller("entra", CallerIdentity.Of(context), EntraRoles.Of(principal, _entra) ?? ApiRole.Viewer));
    }

    private static async Task<bool> RefusedBrowserChangeAsync(HttpContext context)
    {
        var request = context.Request;
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
                || request.Headers.ContainsKey(SessionCookie.RequestHeader))
            && request.Headers["Sec-Fetch-Site"].FirstOrDefault() is not "cross-site")
        {
            return false;
        }

        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: $"a {request.Method} signed in by a dashboard cookie must carry the {SessionCookie.RequestHeader} header").ExecuteAsync(context);
        return true;
    }

    private static async Task ChallengeAsync(HttpContext context, StringValues challenge, string detail)
    {
        context.Response.Headers.WWWAuthenticate = challenge;
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail).ExecuteAsync(context);
    }

    // Everything but the liveness probes: whatever else a host maps on the API's pipeline starts or shows work too.
    private static bool NeedsKey(PathString path) => !OpenPaths.IsOpen(path);

    private static bool Bearer(HttpRequest request) =>
        request.Headers.Authorization.FirstOrDefault() is { } authorization
        && authorization.StartsWith(BearerScheme + " ", StringComparison.OrdinalIgnoreCase);

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers[HeaderName].FirstOrDefault() is { Length: > 0 } header)
        {
            return header;
        }

        var authorization = request.Headers.Authorization.FirstOrDefault();
        return authorization is not null && authorization.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase)
            ? authorization[(Scheme.Length + 1)..].Trim()
            : null;
    }
}

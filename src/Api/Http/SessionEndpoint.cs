using System.Text.Json;
using Duraflow.Api.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>/api/session</c>: the dashboard's sign-in. <c>GET</c> says whether the API needs a credential, how a browser can
/// sign in (the API key, Entra ID) and whether this one is signed in; <c>POST {"api_key": "…"}</c> checks the key and
/// sets the session cookie (<see cref="SessionCookie"/>), <c>POST {"access_token": "…"}</c> checks an Entra ID token
/// and keeps it in its cookie (<see cref="EntraSession"/>); <c>DELETE</c> signs out. None of them needs a credential.
/// </summary>
internal static class SessionEndpoint
{
    private const string Route = OpenPaths.Session;

    private static readonly string[] Fields = ["api_key", "access_token"];

    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, GetAsync).WithSummary("Whether the API needs a credential, how a browser signs in, and whether this one is signed in").Open();
        app.MapPost(Route, SignInAsync).WithSummary("Sign in with the API key or an Entra ID access token: sets the dashboard's cookie").Open();
        app.MapDelete(Route, SignOut).WithSummary("Sign out: clears the dashboard's cookies").Open();
    }

    private static async Task<IResult> GetAsync(
        HttpContext context, ApiAuthState auth, SessionCookie sessions, StoredKeyCheck storedKeys, IOptions<ApiAuthOptions> options, IOptionsMonitor<JwtBearerOptions> jwt,
        CancellationToken cancellationToken)
    {
        var entra = options.Value.Auth.Entra;
        var role = await SignedInRoleAsync(context, auth, sessions, storedKeys, entra);
        var methods = new List<string>();
        // Keys made with `duraflow keys create` sign in too, so the key form is offered even without Duraflow:ApiKey.
        if (auth.Mode == ApiAuthMode.ApiKey)
        {
            methods.Add("api_key");
        }

        if (auth.Mode == ApiAuthMode.ApiKey && entra.DashboardEnabled)
        {
            methods.Add("entra");
        }

        return Results.Ok(new
        {
            Required = auth.Mode == ApiAuthMode.ApiKey,
            SignedIn = role is not null,
            Role = role?.Name(),
            Permissions = role is { } granted ? ApiPermissions.GrantedBy(granted) : [],
            Mode = auth.Mode == ApiAuthMode.ApiKey ? "api-key" : "none",
            Methods = methods,
            Entra = methods.Contains("entra") ? await EntraSignInAsync(entra, jwt, cancellationToken) : null,
        });
    }

    // The role this browser acts with: admin on a server without auth and for a key session (the one key is admin),
    // the token's role for an Entra sign-in; null when it is not signed in.
    private static async Task<ApiRole?> SignedInRoleAsync(HttpContext context, ApiAuthState auth, SessionCookie sessions, StoredKeyCheck storedKeys, EntraAuthOptions entra)
    {
        var cookie = context.Request.Cookies[SessionCookie.Name];
        if (auth.Mode != ApiAuthMode.ApiKey || sessions.IsValid(cookie))
        {
            return ApiRole.Admin;
        }

        if (StoredKeySession.IdOf(cookie) is not null)
        {
            return (await storedKeys.CheckSessionAsync(cookie!, context.RequestAborted)).Caller?.Role;
        }

        return entra.Enabled && context.Request.Cookies[EntraSession.Name] is { } token && (await EntraSession.CheckAsync(context, token, entra)).Caller is { } caller
            ? EntraRoles.Of(caller, entra)
            : null;
    }

    // What the browser needs to ask Entra for a token: the app registration, the scope, and the authority's endpoints
    // from its OpenID metadata (fetched and cached by the JwtBearer handler's configuration manager).
    private static async Task<object> EntraSignInAsync(EntraAuthOptions entra, IOptionsMonitor<JwtBearerOptions> jwt, CancellationToken cancellationToken)
    {
        string? authorize = null, token = null, problem = null;
        try
        {
            var metadata = await jwt.Get(EntraSession.Scheme).ConfigurationManager!.GetConfigurationAsync(cancellationToken);
            (authorize, token) = (metadata.AuthorizationEndpoint, metadata.TokenEndpoint);
            if (string.IsNullOrEmpty(authorize) || string.IsNullOrEmpty(token))
            {
                problem = $"the OpenID metadata of {entra.Authority} names no authorization_endpoint or token_endpoint";
            }
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            problem = $"the OpenID metadata of {entra.Authority} could not be read: {e.Message}";
        }

        return new
        {
            ClientId = entra.DashboardClientId,
            Scope = entra.DashboardScope,
            AuthorizationEndpoint = authorize,
            TokenEndpoint = token,
            Problem = problem,
        };
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, ApiAuthState auth, SessionCookie sessions, StoredKeyCheck storedKeys, TimeProvider time, ApiHosting hosting, IOptions<ApiAuthOptions> options,
        CancellationToken cancellationToken)
    {
        if (auth.Mode == ApiAuthMode.Disabled)
        {
            return Results.Ok(new { SignedIn = true, Expires = (DateTimeOffset?)null });
        }

        var (root, problem) = await JsonRequestBody.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (root is not { } body || body.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.BadField("api_key", "is required: send {\"api_key\": \"…\"} (or {\"access_token\": \"…\"} from Entra ID)");
        }

        var hasKey = body.TryGetProperty("api_key", out var key);
        var hasToken = body.TryGetProperty("access_token", out var token);
        if (!hasKey && !hasToken)
        {
            return ApiProblems.BadField("api_key", "is required: send {\"api_key\": \"…\"} (or {\"access_token\": \"…\"} from Entra ID)");
        }

        if (KnownFields.Check(body, Fields, "a sign-in") is { } unknown)
        {
            return unknown;
        }

        return (hasKey, hasToken) switch
        {
            (true, true) => ApiProblems.BadField("access_token", "goes alone: send api_key or access_token, not both"),
            (true, _) => await SignInWithKeyAsync(context, sessions, storedKeys, time, hosting, key),
            _ => await SignInWithEntraAsync(context, options.Value.Auth.Entra, hosting, token),
        };
    }

    private static async Task<IResult> SignInWithKeyAsync(
        HttpContext context, SessionCookie sessions, StoredKeyCheck storedKeys, TimeProvider time, ApiHosting hosting, JsonElement key)
    {
        if (key.ValueKind != JsonValueKind.String || key.GetString() is not { Length: > 0 } given)
        {
            return ApiProblems.BadField("api_key", "must be the API key, as text");
        }

        if (StoredKeys.Parse(given) is { } parsed)
        {
            var (stored, caller, refusal) = await storedKeys.SignInAsync(parsed.Id, parsed.Secret, context.RequestAborted);
            if (stored is null || caller is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: refusal);
            }

            var (session, ends) = StoredKeySession.Issue(stored, parsed.Secret, time.GetUtcNow());
            Keep(context, hosting, SessionCookie.Name, session, ends);
            Forget(context, hosting, EntraSession.Name);
            return Results.Ok(new { SignedIn = true, Expires = (DateTimeOffset?)ends, By = caller.Name });
        }

        if (!sessions.KeyMatches(given))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "the API key is wrong");
        }

        var (value, expires) = sessions.Issue();
        Keep(context, hosting, SessionCookie.Name, value, expires);
        // One sign-in at a time: an Entra sign-in left from before would otherwise be checked first.
        Forget(context, hosting, EntraSession.Name);
        return Results.Ok(new { SignedIn = true, Expires = (DateTimeOffset?)expires });
    }

    private static async Task<IResult> SignInWithEntraAsync(HttpContext context, EntraAuthOptions entra, ApiHosting hosting, JsonElement token)
    {
        if (!entra.Enabled)
        {
            return ApiProblems.BadField("access_token", "is not taken here: this API has no Entra ID settings (Duraflow:Auth:Entra); sign in with api_key");
        }

        if (token.ValueKind != JsonValueKind.String || token.GetString() is not { Length: > 0 } given)
        {
            return ApiProblems.BadField("access_token", "must be an Entra ID access token, as text");
        }

        if (given.Length > EntraSession.LongestToken)
        {
            return ApiProblems.BadField("access_token", $"has {given.Length} characters, more than a cookie holds ({EntraSession.LongestToken} at most); ask Entra for a token without group claims");
        }

        var (caller, expires, refusal) = await EntraSession.CheckAsync(context, given, entra);
        if (caller is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: refusal);
        }

        context.User = caller;
        Keep(context, hosting, EntraSession.Name, given, expires);
        Forget(context, hosting, SessionCookie.Name);
        return Results.Ok(new { SignedIn = true, Expires = (DateTimeOffset?)expires, By = CallerIdentity.Of(context) });
    }

    private static IResult SignOut(HttpContext context, ApiHosting hosting)
    {
        context.Response.Cookies.Delete(SessionCookie.Name, CookieOptions(context, hosting));
        context.Response.Cookies.Delete(EntraSession.Name, CookieOptions(context, hosting));
        return Results.Ok(new { SignedIn = false });
    }

    private static void Forget(HttpContext context, ApiHosting hosting, string name)
    {
        if (context.Request.Cookies.ContainsKey(name))
        {
            context.Response.Cookies.Delete(name, CookieOptions(context, hosting));
        }
    }

    private static void Keep(HttpContext context, ApiHosting hosting, string name, string value, DateTimeOffset expires)
    {
        var options = CookieOptions(context, hosting);
        options.Expires = expires;
        context.Response.Cookies.Append(name, value, options);
    }

    // The Functions host forwards requests to the worker over plain http on the instance, so the worker cannot see the
    // browser's scheme; the app only takes HTTPS (httpsOnly in infra/), so the cookie is always Secure there.
    private static CookieOptions CookieOptions(HttpContext context, ApiHosting hosting) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps || hosting.UnderFunctionsHost,
        Path = "/",
        IsEssential = true,
    };
}

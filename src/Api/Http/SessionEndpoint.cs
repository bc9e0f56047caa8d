using System.Text.Json;
using Duraflow.Api.Auth;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>/api/session</c>: the dashboard's sign-in. <c>GET</c> says whether the API needs a credential and whether this
/// browser is signed in; <c>POST {"api_key": "…"}</c> checks the key and sets the session cookie
/// (<see cref="SessionCookie"/>); <c>DELETE</c> signs out. None of them needs a credential to be called.
/// </summary>
internal static class SessionEndpoint
{
    private const string Route = OpenPaths.Session;

    private static readonly string[] Fields = ["api_key"];

    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, Get).WithSummary("Whether the API needs a credential and whether this browser is signed in");
        app.MapPost(Route, SignInAsync).WithSummary("Sign in with the API key: sets the dashboard's session cookie");
        app.MapDelete(Route, SignOut).WithSummary("Sign out: clears the session cookie");
    }

    private static IResult Get(HttpContext context, ApiAuthState auth, SessionCookie sessions) => Results.Ok(new
    {
        Required = auth.Mode == ApiAuthMode.ApiKey,
        SignedIn = auth.Mode != ApiAuthMode.ApiKey || sessions.IsValid(context.Request.Cookies[SessionCookie.Name]),
        Mode = auth.Mode == ApiAuthMode.ApiKey ? "api-key" : "none",
    });

    private static async Task<IResult> SignInAsync(HttpContext context, ApiAuthState auth, SessionCookie sessions, ApiHosting hosting, CancellationToken cancellationToken)
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

        if (root is not { } body || !body.TryGetProperty("api_key", out var key))
        {
            return ApiProblems.BadField("api_key", "is required: send {\"api_key\": \"…\"}");
        }

        if (KnownFields.Check(body, Fields, "a sign-in") is { } unknown)
        {
            return unknown;
        }

        if (key.ValueKind != JsonValueKind.String || key.GetString() is not { Length: > 0 } given)
        {
            return ApiProblems.BadField("api_key", "must be the API key, as text");
        }

        if (!sessions.KeyMatches(given))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "the API key is wrong");
        }

        var (value, expires) = sessions.Issue();
        var options = CookieOptions(context, hosting);
        options.Expires = expires;
        context.Response.Cookies.Append(SessionCookie.Name, value, options);
        return Results.Ok(new { SignedIn = true, Expires = (DateTimeOffset?)expires });
    }

    private static IResult SignOut(HttpContext context, ApiHosting hosting)
    {
        context.Response.Cookies.Delete(SessionCookie.Name, CookieOptions(context, hosting));
        return Results.Ok(new { SignedIn = false });
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

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Duraflow.Functions.Auth;

/// <summary>
/// Checks the API key on every route (except <c>/</c> and <c>/api/health</c>) when the app serves the API itself. The key comes
/// in <c>X-Api-Key</c> or as <c>Authorization: ApiKey KEY</c>; a missing or wrong key is a 401 problem. Keys are
/// compared in constant time and never logged.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiAuthOptions> options, ApiAuthState state)
{
    /// <summary>The header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The <c>Authorization</c> scheme that carries the key.</summary>
    public const string Scheme = "ApiKey";

    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey ?? ""));

    public async Task InvokeAsync(HttpContext context)
    {
        if (state.Mode != ApiAuthMode.ApiKey || !NeedsKey(context.Request.Path))
        {
            await next(context);
            return;
        }

        var given = Presented(context.Request);
        if (given is null || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _expected))
        {
            context.Response.Headers.WWWAuthenticate = Scheme;
            await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: given is null
                    ? $"send the API key in the {HeaderName} header (or 'Authorization: {Scheme} KEY')"
                    : "the API key is wrong").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    // Everything but the liveness probes: the API, and the trigger-function routes, which start and run work too.
    private static bool NeedsKey(PathString path) =>
        !path.Equals("/", StringComparison.Ordinal) && !path.Equals("/api/health", StringComparison.OrdinalIgnoreCase);

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

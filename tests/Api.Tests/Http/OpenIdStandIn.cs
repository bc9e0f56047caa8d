using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Duraflow.Api.Tests.Http;

/// <summary>
/// A local stand-in for an Entra ID tenant: a Kestrel server on a free loopback port that serves
/// <c>{authority}/.well-known/openid-configuration</c> and a JWKS with an RSA key made in the test, and issues tokens
/// signed with that key. It speaks plain http, which the app accepts for a loopback authority only. After
/// <see cref="AllowSignIn"/> it also plays a single-page app's sign-in: <c>/authorize</c> signs the user in at once and
/// sends the browser back with a code, and <c>/token</c> redeems the code for an access token, across origins, only
/// with the PKCE verifier of that code's challenge.
/// </summary>
internal sealed class OpenIdStandIn : IAsyncDisposable
{
    public const string KeyId = "stand-in-key-1";

    private static readonly string[] SigningAlgorithms = ["RS256"];
    private static readonly string[] ResponseTypes = ["code"];
    private static readonly string[] SubjectTypes = ["pairwise"];

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Challenge, string RedirectUri)> _codes = new();
    private (string ClientId, string Audience, string[] Roles)? _signIn;

    private OpenIdStandIn(WebApplication app) => _app = app;

    /// <summary>The authority and the issuer of its tokens, e.g. <c>http://127.0.0.1:PORT/TENANT/v2.0</c>.</summary>
    public string Authority { get; private set; } = "";

    /// <summary>How many times the app fetched the metadata or the keys.</summary>
    public int MetadataRequests { get; private set; }

    /// <summary>The query of each <c>/authorize</c> request, as the browser sent it.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<IQueryCollection> AuthorizeRequests { get; } = new();

    /// <summary>Lets <paramref name="clientId"/> sign users in, with tokens for <paramref name="audience"/> that list <paramref name="roles"/>.</summary>
    public void AllowSignIn(string clientId, string audience, params string[] roles) => _signIn = (clientId, audience, roles);

    public static async Task<OpenIdStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new OpenIdStandIn(app);
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        standIn.Authority = app.Urls.Single().TrimEnd('/') + "/72f988bf-0000-0000-0000-000000000001/v2.0";
        return standIn;
    }

    /// <summary>A token from this authority for <paramref name="audience"/>, signed with the published key unless
    /// <paramref name="signingKey"/> says otherwise.</summary>
    public string Token(string audience, TimeSpan? expiresIn = null, IEnumerable<string>? roles = null, RSA? signingKey = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(30));
        var claims = new Dictionary<string, object> { ["oid"] = "00000000-0000-0000-0000-0000000000aa" };
        if (roles is not null)
        {
            claims["roles"] = roles.ToArray();
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "caller")]),
            Claims = claims,
            IssuedAt = expires.AddMinutes(-60),
            NotBefore = expires.AddMinutes(-60),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signingKey ?? _rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var authorityPath = new Uri(Authority).AbsolutePath;
        if (path == authorityPath + "/.well-known/openid-configuration")
        {
            MetadataRequests++;
            await context.Response.WriteAsJsonAsync(new
            {
                issuer = Authority,
                jwks_uri = Authority + "/keys",
                authorization_endpoint = Authority + "/authorize",
                token_endpoint = Authority + "/token",
                id_token_signing_alg_values_supported = SigningAlgorithms,
                response_types_supported = ResponseTypes,
                subject_types_supported = SubjectTypes,
            });
            return;
        }

        if (path == authorityPath + "/keys")
        {
            MetadataRequests++;
            var parameters = _rsa.ExportParameters(includePrivateParameters: false);
            await context.Response.WriteAsJsonAsync(new
            {
                keys = new[]
                {
                    new Dictionary<string, string>
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["alg"] = "RS256",
                        ["kid"] = KeyId,
                        ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                        ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                    },
                },
            });
            return;
        }

        if (path == authorityPath + "/authorize" && _signIn is { } signIn)
        {
            Authorize(context, signIn.ClientId);
            return;
        }

        if (path == authorityPath + "/token" && _signIn is { } issuing)
        {
            await RedeemAsync(context, issuing);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private void Authorize(HttpContext context, string clientId)
    {
        var query = context.Request.Query;
        AuthorizeRequests.Enqueue(query);
        if (query["client_id"] != clientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256"
            || string.IsNullOrEmpty(query["code_challenge"]) || query["redirect_uri"].ToString() is not { Length: > 0 } redirect)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = (query["code_challenge"].ToString(), redirect);
        context.Response.Redirect($"{redirect}?code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
    }

    // A browser's cross-origin form POST: answered with CORS headers, as Entra does for single-page apps.
    private async Task RedeemAsync(HttpContext context, (string ClientId, string Audience, string[] Roles) signIn)
    {
        context.Response.Headers.AccessControlAllowOrigin = context.Request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : "*";
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.Headers.AccessControlAllowMethods = "POST";
            context.Response.Headers.AccessControlAllowHeaders = "content-type";
            return;
        }

        var form = await context.Request.ReadFormAsync();
        var verifier = form["code_verifier"].ToString();
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        if (form["grant_type"] != "authorization_code" || form["client_id"] != signIn.ClientId
            || !_codes.TryRemove(form["code"].ToString(), out var issued) || issued.Challenge != challenge || issued.RedirectUri != form["redirect_uri"])
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = "invalid_grant", error_description = "the code, its verifier or its redirect URI does not match" });
            return;
        }

        await context.Response.WriteAsJsonAsync(new { token_type = "Bearer", access_token = Token(signIn.Audience, roles: signIn.Roles), expires_in = 1800 });
    }
}

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
/// signed with that key. It speaks plain http, which the app accepts for a loopback authority only.
/// </summary>
internal sealed class OpenIdStandIn : IAsyncDisposable
{
    public const string KeyId = "stand-in-key-1";

    private static readonly string[] SigningAlgorithms = ["RS256"];
    private static readonly string[] ResponseTypes = ["code"];
    private static readonly string[] SubjectTypes = ["pairwise"];

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);

    private OpenIdStandIn(WebApplication app) => _app = app;

    /// <summary>The authority and the issuer of its tokens, e.g. <c>http://127.0.0.1:PORT/TENANT/v2.0</c>.</summary>
    public string Authority { get; private set; } = "";

    /// <summary>How many times the app fetched the metadata or the keys.</summary>
    public int MetadataRequests { get; private set; }

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
            claims[Auth.EntraAuthOptions.RolesClaim] = roles.ToArray();
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

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }
}

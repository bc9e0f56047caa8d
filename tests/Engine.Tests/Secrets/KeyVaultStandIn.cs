using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Duraflow.Engine.Tests.Secrets;

/// <summary>
/// A local HTTPS server that speaks as much of the Key Vault secrets REST API as SecretClient needs:
/// <c>GET /secrets/{name}[/{version}]</c>, the Key Vault error body for unknown secrets, 429 for names set to throttle,
/// and the bearer challenge (401 with <c>WWW-Authenticate</c>) for any request without the expected token.
/// It uses a self-signed certificate made in-process, which only <see cref="ClientOptions"/> trusts.
/// </summary>
internal sealed class KeyVaultStandIn : IAsyncDisposable
{
    public const string Token = "stand-in-token";
    public const string Tenant = "72f988bf-0000-0000-0000-000000000001";

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;

    private KeyVaultStandIn(WebApplication app, X509Certificate2 certificate, Uri vaultUri)
    {
        _app = app;
        _certificate = certificate;
        VaultUri = vaultUri;
    }

    /// <summary>The vault's secrets, by Key Vault name.</summary>
    public ConcurrentDictionary<string, string> Secrets { get; } = new(StringComparer.Ordinal);

    /// <summary>Key Vault names that get 429 Too Many Requests.</summary>
    public ConcurrentDictionary<string, bool> Throttled { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<Seen> Requests { get; } = new();

    public Uri VaultUri { get; private set; }

    public static async Task<KeyVaultStandIn> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var standIn = new KeyVaultStandIn(app, certificate, new Uri("https://127.0.0.1/"));
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        standIn.VaultUri = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        return standIn;
    }

    /// <summary>Options for a SecretClient that trusts this server's certificate and does not retry.</summary>
    public SecretClientOptions ClientOptions()
    {
        var thumbprint = _certificate.Thumbprint;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint,
        };
        var options = new SecretClientOptions
        {
            // The challenge names https://vault.azure.net, which is not this server's host.
            DisableChallengeResourceVerification = true,
            Transport = new HttpClientTransport(handler),
        };
        options.Retry.MaxRetries = 0;
        return options;
    }

    /// <summary>The requests for secret <paramref name="name"/> that carried the token (those the vault answered).</summary>
    public int AnsweredRequestsFor(string name) => Requests.Count(r => r.Authorized && r.Path.StartsWith($"/secrets/{name}", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var authorized = request.Headers.Authorization.ToString() == $"Bearer {Token}";
        Requests.Enqueue(new Seen(request.Method, request.Path.Value ?? string.Empty, request.Query["api-version"].ToString(), authorized));
        var response = context.Response;
        if (!authorized)
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = $"Bearer authorization=\"https://login.microsoftonline.com/{Tenant}\", resource=\"https://vault.azure.net\"";
            return;
        }

        var segments = (request.Path.Value ?? string.Empty).Trim('/').Split('/');
        if (request.Method != HttpMethods.Get || segments is not ["secrets", var name, ..] || segments.Length > 3)
        {
            await WriteErrorAsync(response, StatusCodes.Status400BadRequest, "BadParameter", "This stand-in serves GET /secrets/{name}[/{version}] only.");
            return;
        }

        if (Throttled.ContainsKey(name))
        {
            response.Headers.RetryAfter = "1";
            await WriteErrorAsync(response, StatusCodes.Status429TooManyRequests, "Throttled", "Request was not processed because too many requests were received.");
            return;
        }

        if (!Secrets.TryGetValue(name, out var value))
        {
            await WriteErrorAsync(response, StatusCodes.Status404NotFound, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");
            return;
        }

        var version = segments.Length == 3 && segments[2].Length > 0 ? segments[2] : "4387e9f3d6e14c459867679a90fd0f79";
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(JsonSerializer.Serialize(new
        {
            value,
            id = $"{VaultUri}secrets/{name}/{version}",
            attributes = new { enabled = true, created = 1764000000, updated = 1764000000, recoveryLevel = "Recoverable+Purgeable" },
        }));
    }

    private static async Task WriteErrorAsync(HttpResponse response, int status, string code, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(JsonSerializer.Serialize(new { error = new { code, message } }));
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // Round-tripped through PFX so that the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    /// <summary>One request as the stand-in saw it.</summary>
    public sealed record Seen(string Method, string Path, string ApiVersion, bool Authorized);
}

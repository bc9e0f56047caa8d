using System.Net;
using System.Security.Cryptography;
using Duraflow.Api.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Duraflow.Api.Tests.Http;

public sealed class EntraAuthTests : EntraTestProject
{
    private const string Audience = "api://duraflow-test";
    private const string Role = "Pipelines.Run";
    private const string Key = "entra-test-key-7c1d";

    [Fact]
    public async Task BearerToken_ValidIs200_WrongAudienceExpiredWrongKeyOrMissingRoleIs401_ApiKeyStillWorks_NothingSecretLogged()
    {
        using var factory = Factory(
            ("Duraflow:ApiKey", Key),
            ("Duraflow:Auth:Entra:Authority", OpenId.Authority),
            ("Duraflow:Auth:Entra:Audience", Audience),
            ("Duraflow:Auth:Entra:RequiredRole", Role));
        using var client = factory.CreateClient();
        using var otherKey = RSA.Create(2048);

        var valid = OpenId.Token(Audience, roles: [Role, "Other"]);
        var bad = new Dictionary<string, string>
        {
            ["wrong audience"] = OpenId.Token("api://someone-else", roles: [Role]),
            ["expired"] = OpenId.Token(Audience, expiresIn: TimeSpan.FromMinutes(-10), roles: [Role]),
            ["wrong signing key"] = OpenId.Token(Audience, roles: [Role], signingKey: otherKey),
            ["missing role"] = OpenId.Token(Audience, roles: ["Other"]),
            ["no roles"] = OpenId.Token(Audience),
            ["not a jwt"] = "not-a-jwt",
        };

        Assert.Equal(HttpStatusCode.OK, (await Send(client, "/api/runs", ("Authorization", "Bearer " + valid))).StatusCode);
        foreach (var (why, token) in bad)
        {
            var response = await Send(client, "/api/runs", ("Authorization", "Bearer " + token));
            var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.True(response.Headers.WwwAuthenticate.ToString() == "Bearer", why);
            Assert.DoesNotContain(token, problem.GetRawText(), StringComparison.Ordinal);
        }

        // The API key keeps working alongside; a request with neither names both ways in.
        Assert.Equal(HttpStatusCode.OK, (await Send(client, "/api/runs", ("X-Api-Key", Key))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, "/api/runs", ("Authorization", "ApiKey " + Key))).StatusCode);
        var missing = await client.GetAsync(new Uri("/api/runs", UriKind.Relative));
        var detail = (await ApiTestProject.ProblemAsync(missing, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString();
        Assert.Contains("Bearer", detail, StringComparison.Ordinal);
        Assert.Equal(["ApiKey", "Bearer"], missing.Headers.WwwAuthenticate.Select(h => h.ToString()));

        // The keys were fetched from the stand-in, and neither tokens (nor their signatures) nor the key were logged.
        Assert.True(OpenId.MetadataRequests >= 2);
        var logs = string.Join("\n", Logs.Lines);
        // Each bad token failed for its own reason: audience, lifetime, signature (IdentityModel's message codes).
        Assert.Contains("IDX10214", logs, StringComparison.Ordinal);
        Assert.Contains("IDX10223", logs, StringComparison.Ordinal);
        Assert.Contains("IDX10511", logs, StringComparison.Ordinal);
        foreach (var token in bad.Values.Append(valid).Where(t => t.Contains('.', StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(token, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(token[(token.LastIndexOf('.') + 1)..], logs, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Key, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntraWithoutApiKey_Starts_TakesTokensThatGrantARole_RefusesOnesThatGrantNone_AndAsksForABearerToken()
    {
        using var factory = Factory(
            ("Duraflow:Auth:Entra:Authority", OpenId.Authority),
            ("Duraflow:Auth:Entra:Audience", Audience));
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await Send(client, "/api/runs", ("Authorization", "Bearer " + OpenId.Token(Audience, roles: ["Duraflow.Viewer"])))).StatusCode);

        // A valid token that grants none of the API's roles is not a credential for it (it once granted everything).
        var roleless = await Send(client, "/api/runs", ("Authorization", "Bearer " + OpenId.Token(Audience, roles: ["Other"])));
        var detail = (await ApiTestProject.ProblemAsync(roleless, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString();
        Assert.Equal("the Entra ID token grants none of this API's app roles ('Duraflow.Viewer', 'Duraflow.Operator', 'Duraflow.Admin'); assign one to the user or app in Entra ID", detail);

        var missing = await client.GetAsync(new Uri("/api/runs", UriKind.Relative));
        await ApiTestProject.ProblemAsync(missing, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, "/api/runs", ("X-Api-Key", "anything"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public void Resolve_Entra_UnderTheFunctionsHostToo_AndEnoughOnItsOwnOffLoopback()
    {
        var entra = new ApiAuthOptions { Auth = { Entra = { Authority = "https://login.microsoftonline.com/t/v2.0", Audience = "api://a" } } };

        Assert.Equal(ApiAuthMode.ApiKey, ApiAuthModes.Resolve(entra, underFunctionsHost: true, ["http://127.0.0.1:7071"]));
        Assert.Equal(ApiAuthMode.ApiKey, ApiAuthModes.Resolve(entra, underFunctionsHost: false, ["http://0.0.0.0:80"]));
    }

    [Theory]
    [InlineData("Duraflow.Viewer")]
    [InlineData("Duraflow.Operator")]
    public void Resolve_RequiredRoleNamingALesserRole_RefusesToStart(string role)
    {
        var options = new ApiAuthOptions { ApiKey = "k", Auth = { Entra = { Authority = "https://login.microsoftonline.com/t/v2.0", Audience = "api://a", RequiredRole = role } } };

        var error = Assert.Throws<InvalidOperationException>(() => ApiAuthModes.Resolve(options, underFunctionsHost: false, ["http://127.0.0.1:5000"]));

        Assert.Contains($"RequiredRole '{role}' would make every holder of that app role an admin", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/t/v2.0", null, "both")]
    [InlineData(null, "api://a", "both")]
    [InlineData("http://login.example.org/t/v2.0", "api://a", "https")]
    [InlineData("login.microsoftonline.com/t/v2.0", "api://a", "https")]
    public void Resolve_EntraHalfSetOrNotHttps_RefusesToStart(string? authority, string? audience, string message)
    {
        var options = new ApiAuthOptions { ApiKey = "k", Auth = { Entra = { Authority = authority, Audience = audience } } };

        var error = Assert.Throws<InvalidOperationException>(() => ApiAuthModes.Resolve(options, underFunctionsHost: false, ["http://127.0.0.1:5000"]));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string path, (string Name, string Value) header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        return await client.SendAsync(request);
    }

    private WebApplicationFactory<ApiFactory> Factory(params (string Key, string Value)[] settings) =>
        new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", Folder.Root);
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }

            b.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        });
}

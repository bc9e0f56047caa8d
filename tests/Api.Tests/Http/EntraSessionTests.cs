using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Duraflow.Api.Tests.Http;

/// <summary>
/// The dashboard's Entra sign-in through the API: <c>GET /api/session</c> tells the browser how to ask the authority
/// for a token, <c>POST /api/session {"access_token"}</c> checks the token as a bearer token and keeps it in an
/// HttpOnly cookie, and the API takes that cookie (with the browser-change header for changes) until the token expires.
/// </summary>
public sealed class EntraSessionTests : EntraTestProject
{
    private const string Audience = "api://duraflow-session-test";
    private const string Role = "Pipelines.Run";
    private const string ClientId = "11111111-2222-3333-4444-555555555555";
    private const string Scope = Audience + "/access_as_user";
    private const string Key = "entra-session-key-5b2e";

    [Fact]
    public async Task The_session_names_both_ways_in_and_the_authoritys_endpoints_and_the_pages_may_call_its_origin()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();

        using var session = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/session", UriKind.Relative)));
        var page = await client.GetAsync(new Uri("/signin", UriKind.Relative));

        var root = session.RootElement;
        Assert.Equal(["api_key", "entra"], root.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        var entra = root.GetProperty("entra");
        Assert.Equal(ClientId, entra.GetProperty("client_id").GetString());
        Assert.Equal(Scope, entra.GetProperty("scope").GetString());
        Assert.Equal(OpenId.Authority + "/authorize", entra.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(OpenId.Authority + "/token", entra.GetProperty("token_endpoint").GetString());
        Assert.Equal(JsonValueKind.Null, entra.GetProperty("problem").ValueKind);
        var origin = new Uri(OpenId.Authority).GetLeftPart(UriPartial.Authority);
        Assert.Contains($"connect-src 'self' {origin};", page.Content.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp.Single() : page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_token_becomes_an_httponly_cookie_that_stands_for_it_until_it_expires()
    {
        using var factory = Factory();
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var token = OpenId.Token(Audience, roles: [Role]);

        var signIn = await client.PostAsJsonAsync(new Uri("/api/session", UriKind.Relative), new { access_token = token });
        Assert.True(signIn.StatusCode == HttpStatusCode.OK, await signIn.Content.ReadAsStringAsync());
        var setCookie = signIn.Headers.GetValues("Set-Cookie").Single();
        var cookie = setCookie.Split(';')[0];
        using var answer = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync());

        Assert.StartsWith("duraflow_entra=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("entra:", answer.RootElement.GetProperty("by").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Get, "/api/runs", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, HttpMethod.Post, "/api/pipelines/p/runs", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Send(client, HttpMethod.Post, "/api/pipelines/p/runs", cookie, marked: true)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, HttpMethod.Post, "/api/pipelines/p/runs", cookie, marked: true, site: "cross-site")).StatusCode);
        using var state = JsonDocument.Parse(await (await Send(client, HttpMethod.Get, "/api/session", cookie)).Content.ReadAsStringAsync());
        Assert.True(state.RootElement.GetProperty("signed_in").GetBoolean());

        // A cookie holding an expired or foreign token is a 401 that says to sign in again.
        var expired = "duraflow_entra=" + OpenId.Token(Audience, expiresIn: TimeSpan.FromMinutes(-10), roles: [Role]);
        var refused = await Send(client, HttpMethod.Get, "/api/runs", expired);
        var problem = await ApiTestProject.ProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Contains("sign in again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, HttpMethod.Get, "/api/runs", "duraflow_entra=not-a-token")).StatusCode);
        Assert.DoesNotContain(token, string.Join("\n", Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_entra_cookie_gives_way_to_a_key_session_and_each_sign_in_clears_the_other_cookie()
    {
        using var factory = Factory();
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        var stale = "duraflow_entra=" + OpenId.Token(Audience, roles: ["Other"]);
        using var keyRequest = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/session", UriKind.Relative)) { Content = JsonContent.Create(new { api_key = Key }) };
        keyRequest.Headers.TryAddWithoutValidation("Cookie", stale);
        var keySignIn = await client.SendAsync(keyRequest);
        var keyCookies = keySignIn.Headers.GetValues("Set-Cookie").ToList();
        var session = keyCookies.Single(c => c.StartsWith("duraflow_session=v1.", StringComparison.Ordinal)).Split(';')[0];

        Assert.Contains(keyCookies, c => c.StartsWith("duraflow_entra=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Get, "/api/runs", $"{session}; {stale}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, HttpMethod.Get, "/api/runs", stale)).StatusCode);

        using var entraRequest = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/session", UriKind.Relative))
        {
            Content = JsonContent.Create(new { access_token = OpenId.Token(Audience, roles: [Role]) }),
        };
        entraRequest.Headers.TryAddWithoutValidation("Cookie", session);
        var entraSignIn = await client.SendAsync(entraRequest);
        Assert.Contains(entraSignIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("duraflow_session=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_sign_ins_are_refused_naming_the_field_or_the_reason_and_set_no_cookie()
    {
        using var factory = Factory();
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var bad = new (object Body, HttpStatusCode Status, string Says)[]
        {
            (new { access_token = OpenId.Token("api://someone-else", roles: [Role]) }, HttpStatusCode.Unauthorized, "not valid for this API"),
            (new { access_token = OpenId.Token(Audience, roles: ["Other"]) }, HttpStatusCode.Unauthorized, $"grants none of this API's app roles ('Duraflow.Viewer', 'Duraflow.Operator', 'Duraflow.Admin', or '{Role}'"),
            (new { access_token = OpenId.Token(Audience, expiresIn: TimeSpan.FromMinutes(-10), roles: [Role]) }, HttpStatusCode.Unauthorized, "not valid"),
            (new { access_token = 42 }, HttpStatusCode.BadRequest, "access_token"),
            (new { access_token = "" }, HttpStatusCode.BadRequest, "access_token"),
            (new { access_token = new string('a', 5000) }, HttpStatusCode.BadRequest, "more than a cookie holds"),
            (new { access_token = "x", api_key = Key }, HttpStatusCode.BadRequest, "not both"),
            (new { access_token = "x", token = "x" }, HttpStatusCode.BadRequest, "'token'"),
        };

        foreach (var (body, status, says) in bad)
        {
            var response = await client.PostAsJsonAsync(new Uri("/api/session", UriKind.Relative), body);
            var problem = await ApiTestProject.ProblemAsync(response, status);

            Assert.Contains(says, problem.GetRawText(), StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("Set-Cookie"), says);
        }
    }

    [Fact]
    public async Task Without_entra_settings_a_token_sign_in_is_refused_and_the_session_offers_the_key_only()
    {
        using var factory = new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", Folder.Root);
            b.UseSetting("Duraflow:ApiKey", Key);
        });
        using var client = factory.CreateClient();

        using var session = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/session", UriKind.Relative)));
        var response = await client.PostAsJsonAsync(new Uri("/api/session", UriKind.Relative), new { access_token = OpenId.Token(Audience) });

        Assert.Equal(["api_key"], session.RootElement.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(JsonValueKind.Null, session.RootElement.GetProperty("entra").ValueKind);
        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("no Entra ID settings", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClientId, null, "both")]
    [InlineData(null, Scope, "both")]
    public void Half_a_dashboard_sign_in_refuses_to_start(string? clientId, string? scope, string says)
    {
        var options = new Auth.ApiAuthOptions
        {
            ApiKey = Key,
            Auth = { Entra = { Authority = "https://login.microsoftonline.com/t/v2.0", Audience = Audience, DashboardClientId = clientId, DashboardScope = scope } },
        };

        var error = Assert.Throws<InvalidOperationException>(() => Auth.ApiAuthModes.Resolve(options, underFunctionsHost: false, ["http://127.0.0.1:5000"]));

        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dashboard_sign_in_without_entra_itself_refuses_to_start()
    {
        var options = new Auth.ApiAuthOptions { ApiKey = Key, Auth = { Entra = { DashboardClientId = ClientId, DashboardScope = Scope } } };

        var error = Assert.Throws<InvalidOperationException>(() => Auth.ApiAuthModes.Resolve(options, underFunctionsHost: false, ["http://127.0.0.1:5000"]));

        Assert.Contains("Authority and __Audience", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string cookie, bool marked = false, string? site = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Cookie", cookie);
        if (marked)
        {
            request.Headers.TryAddWithoutValidation("X-Duraflow-Request", "1");
        }

        if (site is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", site);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { });
        }

        return await client.SendAsync(request);
    }

    private WebApplicationFactory<ApiFactory> Factory() =>
        new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", Folder.Root);
            b.UseSetting("Duraflow:ApiKey", Key);
            b.UseSetting("Duraflow:Auth:Entra:Authority", OpenId.Authority);
            b.UseSetting("Duraflow:Auth:Entra:Audience", Audience);
            b.UseSetting("Duraflow:Auth:Entra:RequiredRole", Role);
            b.UseSetting("Duraflow:Auth:Entra:DashboardClientId", ClientId);
            b.UseSetting("Duraflow:Auth:Entra:DashboardScope", Scope);
            b.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        });
}

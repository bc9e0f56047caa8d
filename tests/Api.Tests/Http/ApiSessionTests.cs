using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Duraflow.Api.Auth;
using Duraflow.Engine.Tests.Secrets;

namespace Duraflow.Api.Tests.Http;

/// <summary>
/// <c>/api/session</c> and the session cookie: a browser signs in with the API key, then calls the API with the
/// cookie alone; what changes something also needs the request header; a bad, tampered or old cookie is refused.
/// </summary>
public sealed class ApiSessionTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public void Dispose() => _project.Dispose();

    // A client like a browser: it keeps cookies and sends no key.
    private HttpClient Browser() => _project.Factory.CreateClient();

    [Fact]
    public async Task A_browser_signs_in_with_the_key_and_then_reads_and_starts_runs_with_the_cookie_alone()
    {
        using var browser = Browser();
        var before = await browser.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/session");
        var refused = await browser.GetAsync(new Uri("/api/runs", UriKind.Relative));

        var signIn = await browser.PostAsJsonAsync(new Uri("/api/session", UriKind.Relative), new { api_key = ApiTestProject.Key });

        Assert.Equal((true, false), (before.GetProperty("required").GetBoolean(), before.GetProperty("signed_in").GetBoolean()));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(SessionCookie.Name + "=v1.", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ApiTestProject.Key, cookie, StringComparison.Ordinal);

        Assert.True((await browser.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/session")).GetProperty("signed_in").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/api/runs", UriKind.Relative))).StatusCode);

        // Changing something takes the header too, which another site's form cannot send.
        var forged = await browser.PostAsJsonAsync(new Uri("/api/pipelines/other/runs", UriKind.Relative), new { });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/pipelines/other/runs", UriKind.Relative)) { Content = JsonContent.Create(new { }) };
        request.Headers.Add(SessionCookie.RequestHeader, "1");
        var started = await browser.SendAsync(request);

        Assert.Contains(SessionCookie.RequestHeader, (await ApiTestProject.ProblemAsync(forged, HttpStatusCode.Forbidden)).GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        var signOut = await browser.DeleteAsync(new Uri("/api/session", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync(new Uri("/api/runs", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("""{ "api_key": "wrong" }""", HttpStatusCode.Unauthorized, "the API key is wrong")]
    [InlineData("""{ "api_key": 42 }""", HttpStatusCode.BadRequest, "must be the API key, as text")]
    [InlineData("""{ "apikey": "x" }""", HttpStatusCode.BadRequest, "'api_key': is required")]
    [InlineData("""{ "api_key": "x", "remember": true }""", HttpStatusCode.BadRequest, "'remember': is not a field")]
    [InlineData("[1]", HttpStatusCode.BadRequest, "JSON object")]
    [InlineData("", HttpStatusCode.BadRequest, "'api_key': is required")]
    public async Task A_bad_sign_in_is_refused_and_sets_no_cookie(string body, HttpStatusCode status, string says)
    {
        using var browser = Browser();

        var response = await browser.PostAsync(
            new Uri("/api/session", UriKind.Relative), new StringContent(body, Encoding.UTF8, body.Length == 0 ? null : "application/json"));

        Assert.Contains(says, (await ApiTestProject.ProblemAsync(response, status)).GetRawText(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("v1.99999999999.AAAA")]
    [InlineData("v2.1.x")]
    [InlineData("garbage")]
    [InlineData("v1.-5.x")]
    public async Task A_forged_cookie_is_refused(string cookie)
    {
        using var browser = Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/runs", UriKind.Relative));
        request.Headers.Add("Cookie", $"{SessionCookie.Name}={cookie}");

        var response = await browser.SendAsync(request);

        Assert.Contains("sign in again", (await ApiTestProject.ProblemAsync(response, HttpStatusCode.Unauthorized)).GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_ends_when_it_expires_or_the_key_is_rotated()
    {
        var clock = new ManualTime();
        var sessions = new SessionCookie(SHA256.HashData("key-a"u8), clock);
        var rotated = new SessionCookie(SHA256.HashData("key-b"u8), clock);
        var (cookie, expires) = sessions.Issue();

        Assert.Equal(clock.GetUtcNow() + SessionCookie.Lifetime, expires);
        Assert.True(sessions.IsValid(cookie));
        Assert.False(rotated.IsValid(cookie));
        Assert.False(new SessionCookie([], clock).KeyMatches("key-a"));
        clock.Advance(SessionCookie.Lifetime);
        Assert.False(sessions.IsValid(cookie));
    }
}

using Duraflow.Api.Auth;
using Microsoft.AspNetCore.Http;

namespace Duraflow.Api.Tests.Http;

/// <summary>What a server without auth refuses: changes a browser sends for another site, and other host names.</summary>
public sealed class BrowserOriginTests
{
    [Theory]
    [InlineData("POST", "127.0.0.1:8080", null, null, null)]
    [InlineData("POST", "localhost:8080", "http://localhost:8080", "same-origin", null)]
    [InlineData("GET", "127.0.0.1:8080", "https://evil.example", "cross-site", null)]
    [InlineData("POST", "127.0.0.1:8080", "https://evil.example", null, "a page of https://evil.example cannot change anything here")]
    [InlineData("POST", "127.0.0.1:8080", null, "cross-site", "a page of another site cannot change anything here")]
    [InlineData("DELETE", "127.0.0.1:8080", "http://127.0.0.1:9999", null, "cannot change anything here")]
    [InlineData("POST", "127.0.0.1:8080", "null", null, "cannot change anything here")]
    [InlineData("GET", "rebound.evil.example:8080", null, null, "not to 'rebound.evil.example'")]
    [InlineData("GET", "[::1]:8080", null, null, null)]
    public void A_request_from_another_site_or_host_name_is_refused_and_scripts_are_not(string method, string host, string? origin, string? site, string? refusal)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Host = HostString.FromUriComponent(host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        if (site is not null)
        {
            context.Request.Headers["Sec-Fetch-Site"] = site;
        }

        var refused = BrowserOrigin.Refusal(context.Request);

        if (refusal is null)
        {
            Assert.Null(refused);
        }
        else
        {
            Assert.Contains(refusal, refused, StringComparison.Ordinal);
        }
    }
}

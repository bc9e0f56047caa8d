namespace Duraflow.Api.Auth;

/// <summary>
/// What a browser says about where a request comes from. A server without auth (<c>serve --no-auth</c>, loopback only)
/// still must not take orders from a web page on another site: any page can make the browser send a form POST to
/// 127.0.0.1, and a hostile DNS name can be pointed at it. Browsers mark such requests (<c>Origin</c>,
/// <c>Sec-Fetch-Site</c>, the <c>Host</c> they used); scripts and the CLI send none of these, so they are not affected.
/// </summary>
internal static class BrowserOrigin
{
    /// <summary>
    /// Why the request must be refused: it changes something and a browser sent it for another site, or it was
    /// addressed to a host name other than this machine's loopback names. Null when it may go on.
    /// </summary>
    public static string? Refusal(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var host = request.Host.Host;
        if (!string.IsNullOrEmpty(host) && !IsLoopbackName(host))
        {
            return $"this server answers to 127.0.0.1, localhost and [::1] only, not to '{host}'";
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return null;
        }

        var site = request.Headers["Sec-Fetch-Site"].FirstOrDefault();
        if (site is "cross-site" or "same-site")
        {
            return "a page of another site cannot change anything here";
        }

        var origin = request.Headers.Origin.FirstOrDefault();
        return origin is not null && !(Uri.TryCreate(origin, UriKind.Absolute, out var from) && IsLoopbackName(from.Host) && from.Port == (request.Host.Port ?? 80))
            ? $"a page of {origin} cannot change anything here"
            : null;
    }

    private static bool IsLoopbackName(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" or "::1"
        || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
}

using System.Net;

namespace Duraflow.Engine.Definitions;

/// <summary>
/// Which URLs alerts may be sent to: <c>https://</c>, or <c>http://</c> to this machine only (a receiver for local
/// testing). Checked when a pipeline is read (a literal URL) and again before each send (a rendered template).
/// </summary>
internal static class AlertUrls
{
    /// <summary>Why <paramref name="url"/> may not receive alerts ("must be …"), or null when it may.</summary>
    public static string? Refusal(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "must be an https:// URL";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not carry a user name or password; put the credential in the secret's URL path or query, as the service issues it";
        }

        return uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri)
            ? "must be an https:// URL (plain http:// is allowed to localhost, 127.0.0.1 or [::1] only, for local testing)"
            : null;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}

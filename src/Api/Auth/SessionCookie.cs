using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Duraflow.Api.Auth;

/// <summary>
/// The dashboard's sign-in: a browser cannot send <c>X-Api-Key</c> on every request (an <c>EventSource</c> sends no
/// headers at all), so signing in with the API key sets this HttpOnly, SameSite=Strict cookie, which the API takes in
/// place of the header. The cookie holds no key: <c>v1.EXPIRES.MAC</c>, the MAC an HMAC-SHA256 of the expiry keyed by
/// the API key's hash, so it proves the key was shown, ends when it expires, and every session ends when the key is
/// rotated. A request that changes something and is let in by the cookie must also carry <see cref="RequestHeader"/>,
/// which a form or page on another site cannot send.
/// </summary>
internal sealed class SessionCookie(byte[] keyHash, TimeProvider time)
{
    /// <summary>The cookie's name.</summary>
    public const string Name = "duraflow_session";

    /// <summary>The header a cookie-authenticated POST, PUT, PATCH or DELETE must carry (any value).</summary>
    public const string RequestHeader = "X-Duraflow-Request";

    /// <summary>How long a sign-in lasts.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private const string Version = "v1";

    /// <summary>True when <paramref name="given"/> is the API key (compared in constant time).</summary>
    public bool KeyMatches(string given) =>
        keyHash.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), keyHash);

    /// <summary>A new session's cookie value, and when it expires.</summary>
    public (string Value, DateTimeOffset Expires) Issue()
    {
        var expires = time.GetUtcNow() + Lifetime;
        var seconds = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return ($"{Version}.{seconds}.{Mac(seconds)}", DateTimeOffset.FromUnixTimeSeconds(long.Parse(seconds, CultureInfo.InvariantCulture)));
    }

    /// <summary>True when <paramref name="value"/> is a cookie this key issued and it has not expired.</summary>
    public bool IsValid(string? value)
    {
        var parts = value?.Split('.');
        if (keyHash.Length == 0 || parts is not [Version, var seconds, var mac]
            || !long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || DateTimeOffset.FromUnixTimeSeconds(expires) <= time.GetUtcNow())
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(mac), Encoding.ASCII.GetBytes(Mac(seconds)));
    }

    private string Mac(string seconds) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(keyHash, Encoding.ASCII.GetBytes($"{Version}.{seconds}")));
}

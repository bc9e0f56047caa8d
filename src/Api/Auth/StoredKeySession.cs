using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Auth;

/// <summary>
/// The dashboard's session for a browser signed in with a stored key (<see cref="StoredKeys"/>): the
/// <see cref="SessionCookie.Name"/> cookie holding <c>k1.ID.EXPIRES.TOKEN.MAC</c>. TOKEN is derived from the key's secret
/// (<see cref="StoredKeys.SessionToken"/>) and checked against its stored SHA-256, so reading the store is not enough to
/// make a cookie; MAC is an HMAC of the rest keyed by TOKEN. Each request also checks the key it names, so revoking
/// or the key's expiry ends the session; it lasts 12 hours at most, never past the key's expiry.
/// </summary>
internal static class StoredKeySession
{
    private const string Version = "k1";

    /// <summary>A new session's cookie value for <paramref name="key"/> signed in with <paramref name="secret"/>, and when it expires.</summary>
    public static (string Value, DateTimeOffset Expires) Issue(AccessKey key, string secret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        var expires = now + SessionCookie.Lifetime;
        expires = key.ExpiresAt is { } ends && ends < expires ? ends : expires;
        var seconds = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var token = StoredKeys.SessionToken(secret);
        return ($"{Version}.{key.Id}.{seconds}.{token}.{Mac(token, key.Id, seconds)}", DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>The key id a cookie of this form names, or null when it is not one.</summary>
    public static string? IdOf(string? cookie) =>
        cookie?.Split('.') is [Version, var id, _, _, _] && id.Length == 16 && id.All(char.IsAsciiHexDigitLower) ? id : null;

    /// <summary>True when <paramref name="cookie"/> was issued for <paramref name="key"/> by whoever held its secret, and has not expired.</summary>
    public static bool IsValid(string cookie, AccessKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cookie);
        ArgumentNullException.ThrowIfNull(key);
        if (cookie.Split('.') is not [Version, var id, var seconds, var token, var mac] || id != key.Id
            || !long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        // No session is issued for longer than Lifetime: a later expiry was not written by this API.
        var ends = DateTimeOffset.FromUnixTimeSeconds(expires);
        if (ends <= now || ends > now + SessionCookie.Lifetime + TimeSpan.FromMinutes(5))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.ASCII.GetBytes(token)), key.SessionHash)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(mac), Encoding.ASCII.GetBytes(Mac(token, key.Id, seconds)));
    }

    private static string Mac(string token, string id, string seconds) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.ASCII.GetBytes(token), Encoding.ASCII.GetBytes($"{Version}.{id}.{seconds}")));
}

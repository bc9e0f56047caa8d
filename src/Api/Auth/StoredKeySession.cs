using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Auth;

/// <summary>
/// The dashboard's session for a browser signed in with a stored key (<see cref="StoredKeys"/>): the
/// <see cref="SessionCookie.Name"/> cookie holding <c>k1.ID.EXPIRES.MAC</c>, the MAC an HMAC-SHA256 of the rest keyed
/// by the key's stored hash. It holds no secret, names the key so each request checks it is still valid (revoked or
/// expired, the session ends with it), and lasts 12 hours at most, never past the key's own expiry.
/// </summary>
internal static class StoredKeySession
{
    private const string Version = "k1";

    /// <summary>A new session's cookie value for <paramref name="key"/>, and when it expires.</summary>
    public static (string Value, DateTimeOffset Expires) Issue(AccessKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        var expires = now + SessionCookie.Lifetime;
        expires = key.ExpiresAt is { } ends && ends < expires ? ends : expires;
        var seconds = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return ($"{Version}.{key.Id}.{seconds}.{Mac(key, seconds)}", DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>The key id a cookie of this form names, or null when it is not one.</summary>
    public static string? IdOf(string? cookie) => cookie?.Split('.') is [Version, var id, _, _] && StoredKeys.Parse($"{StoredKeys.Prefix}{id}_x") is not null ? id : null;

    /// <summary>True when <paramref name="cookie"/> was issued for <paramref name="key"/> and has not expired.</summary>
    public static bool IsValid(string cookie, AccessKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (cookie.Split('.') is not [Version, var id, var seconds, var mac] || id != key.Id
            || !long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires > DateTimeOffset.MaxValue.ToUnixTimeSeconds() || DateTimeOffset.FromUnixTimeSeconds(expires) <= now)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(mac), Encoding.ASCII.GetBytes(Mac(key, seconds)));
    }

    private static string Mac(AccessKey key, string seconds) =>
        Convert.ToBase64String(HMACSHA256.HashData(key.Hash, Encoding.ASCII.GetBytes($"{Version}.{key.Id}.{seconds}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

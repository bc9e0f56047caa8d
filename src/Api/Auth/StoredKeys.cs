using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Auth;

/// <summary>
/// The keys <c>duraflow keys create</c> makes: <c>dfk_ID_SECRET</c>, the id a public handle to look the key up by and the
/// secret 32 random bytes. Only HMAC-SHA256(salt, secret) is stored. A fast hash is enough here, unlike for passwords:
/// the secret is random and long, so there is nothing for a slow hash to protect against guessing.
/// </summary>
internal static class StoredKeys
{
    /// <summary>What every stored key starts with, telling it from the deployment's configured key.</summary>
    public const string Prefix = "dfk_";

    /// <summary>The longest name a key may have.</summary>
    public const int LongestName = 100;

    private const int IdBytes = 8;
    private const int SecretBytes = 32;

    /// <summary>A new key: the record to store, and the key text to show once.</summary>
    public static (AccessKey Stored, string Text) Create(
        string name, ApiRole role, string? pipelines, string? workspace, DateTimeOffset now, DateTimeOffset? expires, string createdBy)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        var salt = RandomNumberGenerator.GetBytes(16);
        var stored = new AccessKey(id, name, role.Name(), pipelines, salt, Hash(salt, secret), now, createdBy, expires, null, SHA256.HashData(Encoding.ASCII.GetBytes(SessionToken(secret))), workspace);
        return (stored, $"{Prefix}{id}_{secret}");
    }

    /// <summary>The id and secret of a presented key of this form, or null when it is not one.</summary>
    public static (string Id, string Secret)? Parse(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = presented[Prefix.Length..];
        var split = rest.IndexOf('_', StringComparison.Ordinal);
        return split == IdBytes * 2 && rest[..split].All(char.IsAsciiHexDigitLower) && rest.Length > split + 1
            ? (rest[..split], rest[(split + 1)..])
            : null;
    }

    /// <summary>True when <paramref name="secret"/> is the secret of <paramref name="key"/> (compared in constant time).</summary>
    public static bool Matches(AccessKey key, string secret)
    {
        ArgumentNullException.ThrowIfNull(key);
        return CryptographicOperations.FixedTimeEquals(Hash(key.Salt, secret), key.Hash);
    }

    /// <summary>
    /// The token a dashboard session signed in with the key carries: derived from the secret, so only whoever held the
    /// key can have it, and not from anything stored (the store keeps its SHA-256), so reading the store forges none.
    /// </summary>
    public static string SessionToken(string secret) => Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), "duraflow-session-v1"u8));

    /// <summary>Why a name cannot be a key's, or null. Names are plain (they show in lists, audit entries and URLs).</summary>
    public static string? NameProblem(string name) =>
        string.IsNullOrEmpty(name) ? "is empty"
        : name.Length > LongestName ? $"is longer than {LongestName} characters"
        : !(char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0])) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.' or '-')
            ? $"'{PrintableText.Of(name[..Math.Min(name.Length, LongestName)])}' may hold only lowercase letters, digits, '_', '.' and '-', starting with a letter or digit"
        : null;

    private static byte[] Hash(byte[] salt, string secret) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(secret));
}

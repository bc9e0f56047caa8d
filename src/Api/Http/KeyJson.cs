using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>API keys as <c>GET /api/keys</c> returns them and <c>duraflow keys list --json</c> prints them: never a hash or salt.</summary>
internal static class KeyJson
{
    public static object List(IReadOnlyList<AccessKey> keys, DateTimeOffset now) => new { Items = keys.Select(k => Of(k, now)) };

    public static object Of(AccessKey key, DateTimeOffset now) => new
    {
        key.Id,
        key.Name,
        key.Role,
        key.Pipelines,
        key.Workspace,
        Status = Status(key, now),
        key.CreatedAt,
        key.CreatedBy,
        key.ExpiresAt,
        key.RevokedAt,
    };

    /// <summary>A new key with its text, which is shown this once.</summary>
    public static object Created(AccessKey key, string text, DateTimeOffset now) => new { Key = text, Details = Of(key, now) };

    /// <summary><c>active</c>, <c>expired</c> or <c>revoked</c>.</summary>
    public static string Status(AccessKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.RevokedAt is not null ? "revoked" : key.ExpiresAt is { } expires && expires <= now ? "expired" : "active";
    }
}

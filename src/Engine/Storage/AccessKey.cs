namespace Duraflow.Engine.Storage;

/// <summary>
/// An API key as stored: who it is for, what it may do, and only a salted hash of its secret (the secret itself is
/// shown once, when the key is created, and kept nowhere).
/// </summary>
/// <param name="Id">The key's public id, the part of the key before its secret; how a presented key is looked up.</param>
/// <param name="Name">The name people know it by, unique among keys not revoked.</param>
/// <param name="Role">The role it grants (<c>viewer</c>, <c>operator</c>, <c>admin</c>); the API gives it meaning.</param>
/// <param name="Pipelines">A glob of the pipelines it may see (<c>orders*</c>), or null for all.</param>
/// <param name="Salt">The random salt of <paramref name="Hash"/>.</param>
/// <param name="Hash">HMAC-SHA256 of the secret keyed by the salt.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="ExpiresAt">When it stops working, or null for never.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
/// <param name="SessionHash">SHA-256 of the session token derived from the secret, which dashboard sessions signed in with the key carry.</param>
/// <param name="Workspace">The one workspace it may reach (<c>duraflow serve --workspace</c>), or null for all.</param>
internal sealed record AccessKey(
    string Id, string Name, string Role, string? Pipelines, byte[] Salt, byte[] Hash,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, byte[] SessionHash, string? Workspace = null);

/// <summary>The API keys <c>duraflow keys</c> manages, kept in the run store so every instance of the API sees them.</summary>
internal interface IAccessKeys
{
    /// <summary>Stores a new key; false (and nothing stored) when a key not revoked already has its name.</summary>
    Task<bool> AddKeyAsync(AccessKey key, CancellationToken cancellationToken);

    /// <summary>The key with id <paramref name="id"/>, revoked or not, or null.</summary>
    Task<AccessKey?> GetKeyAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every key, revoked ones too, newest first.</summary>
    Task<IReadOnlyList<AccessKey>> ListKeysAsync(CancellationToken cancellationToken);

    /// <summary>Revokes the key named <paramref name="name"/> that is not revoked yet: the key as revoked, or null when there is none.</summary>
    Task<AccessKey?> RevokeKeyAsync(string name, DateTimeOffset at, CancellationToken cancellationToken);
}

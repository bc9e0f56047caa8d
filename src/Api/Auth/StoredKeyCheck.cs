using System.Collections.Concurrent;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Auth;

/// <summary>
/// Checks a presented <c>dfk_</c> key against the run store: found, its secret matching, not revoked, not expired.
/// A key read from the store is kept for <see cref="Fresh"/>, so a burst of requests costs one read; a key revoked
/// through another process (<c>duraflow keys revoke</c>, another instance) stops working here within that time, and
/// one revoked through this process's API at once.
/// </summary>
internal sealed class StoredKeyCheck(SharedEngine engine, TimeProvider time)
{
    /// <summary>How long a key read from the store is trusted without reading it again.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (AccessKey? Key, DateTimeOffset ReadAt)> _read = new(StringComparer.Ordinal);

    /// <summary>The caller the key stands for, or why it is refused (which says what is wrong only to whoever holds the secret).</summary>
    public async Task<(ApiCaller? Caller, string? Refusal)> CheckAsync(string id, string secret, CancellationToken cancellationToken)
    {
        var (_, caller, refusal) = await SignInAsync(id, secret, cancellationToken).ConfigureAwait(false);
        return (caller, refusal);
    }

    /// <summary>As <see cref="CheckAsync"/>, with the key itself, which a dashboard session is signed with.</summary>
    public async Task<(AccessKey? Key, ApiCaller? Caller, string? Refusal)> SignInAsync(string id, string secret, CancellationToken cancellationToken)
    {
        var key = await ReadAsync(id, cancellationToken).ConfigureAwait(false);
        if (key is null || !StoredKeys.Matches(key, secret))
        {
            return (null, null, "the API key is wrong");
        }

        var (caller, refusal) = Judge(key, $"key:{key.Name}", "key");
        return (caller is null ? null : key, caller, refusal);
    }

    /// <summary>The caller a dashboard session signed in with a stored key stands for, or why it no longer holds.</summary>
    public async Task<(ApiCaller? Caller, string? Refusal)> CheckSessionAsync(string cookie, CancellationToken cancellationToken)
    {
        var key = StoredKeySession.IdOf(cookie) is { } id ? await ReadAsync(id, cancellationToken).ConfigureAwait(false) : null;
        return key is not null && StoredKeySession.IsValid(cookie, key, time.GetUtcNow())
            ? Judge(key, $"key:{key.Name} (dashboard session)", "session")
            : (null, "the dashboard session has expired or is not valid; sign in again");
    }

    private (ApiCaller? Caller, string? Refusal) Judge(AccessKey key, string name, string kind)
    {
        if (key.RevokedAt is { } revoked)
        {
            return (null, $"the API key '{key.Name}' was revoked at {revoked:u}");
        }

        if (key.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return (null, $"the API key '{key.Name}' expired at {expires:u}; create a new one (duraflow keys create)");
        }

        return ApiRoles.Parse(key.Role) is { } role
            ? (new ApiCaller(kind, name, role, key.Pipelines), null)
            : (null, $"the API key '{key.Name}' has the role '{key.Role}', which this version does not know");
    }

    /// <summary>Forgets what was read of key <paramref name="id"/>, so its next use reads it again (after a revoke here).</summary>
    public void Forget(string id) => _read.TryRemove(id, out _);

    private async Task<AccessKey?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_read.TryGetValue(id, out var kept) && now - kept.ReadAt < Fresh)
        {
            return kept.Key;
        }

        var opened = await engine.GetAsync(cancellationToken).ConfigureAwait(false);
        var keys = KeyCreation.Of(opened.Store);
        var key = await keys.GetKeyAsync(id, cancellationToken).ConfigureAwait(false);

        // Unknown ids are not kept: a flood of made-up ids must not grow the table.
        if (key is not null)
        {
            _read[id] = (key, now);
        }

        return key;
    }
}

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

    // The most key ids kept at once.
    private const int Remembered = 10_000;

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

        var (caller, refusal) = Judge(key);
        return (caller is null ? null : key, caller, refusal);
    }

    /// <summary>The caller a dashboard session signed in with a stored key stands for, or why it no longer holds.</summary>
    public async Task<(ApiCaller? Caller, string? Refusal)> CheckSessionAsync(string cookie, CancellationToken cancellationToken)
    {
        var key = StoredKeySession.IdOf(cookie) is { } id ? await ReadAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (key is null || !StoredKeySession.IsValid(cookie, key, time.GetUtcNow()))
        {
            return (null, "the dashboard session has expired or is not valid; sign in again");
        }

        var (caller, refusal) = Judge(key);
        return (caller?.AsSession(), refusal);
    }

    private (ApiCaller? Caller, string? Refusal) Judge(AccessKey key)
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
            ? (new ApiCaller("key", $"key:{key.Name}", role, key.Pipelines, key.Workspace), null)
            : (null, $"the API key '{key.Name}' has the role '{key.Role}', which this version does not know");
    }

    /// <summary>Takes <paramref name="revoked"/> as read now, so a revoke made here holds at once (a read still in flight cannot put the key back).</summary>
    public void Revoked(AccessKey revoked)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        _read[revoked.Id] = (revoked, time.GetUtcNow());
    }

    private async Task<AccessKey?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_read.TryGetValue(id, out var kept) && now - kept.ReadAt < Fresh)
        {
            return kept.Key;
        }

        var opened = await engine.GetAsync(cancellationToken).ConfigureAwait(false);
        var key = await KeyCreation.Of(opened.Store).GetKeyAsync(id, cancellationToken).ConfigureAwait(false);

        // Unknown ids are kept too, so a flood of one made-up id costs one read; a flood of many cannot grow the table
        // past Remembered, when it starts over. A key revoked meanwhile here stays revoked.
        if (_read.Count >= Remembered)
        {
            _read.Clear();
        }

        return _read.AddOrUpdate(id, (key, now), (_, kept) => kept.Key?.RevokedAt is not null ? kept : (key, now)).Key;
    }
}

namespace Duraflow.Engine.Storage;

/// <summary>
/// A block output kept for reuse under its cache key: where the output is (the producing run's own output reference,
/// an inline JSON value or an artifact key), and which run and attempt produced it.
/// </summary>
/// <param name="Pipeline">The pipeline of the block.</param>
/// <param name="Block">The block's name (a fan-out item's entry is under its block's name).</param>
/// <param name="Key">The cache key: the hex SHA-256 the block's policy made (<c>BlockCacheKey</c>).</param>
/// <param name="Output">The output reference, as <c>BlockSucceeded.Output</c> holds it.</param>
/// <param name="Items">For a fan-out block, how many items its output list has; else null.</param>
/// <param name="RunId">The run that computed the output.</param>
/// <param name="InstanceKey">The block or item key in that run.</param>
/// <param name="Attempt">The attempt that computed it.</param>
/// <param name="CreatedAt">When it was computed.</param>
/// <param name="ExpiresAt">When its TTL ended, as written; null when it has none. A lookup judges by the current TTL.</param>
internal sealed record CacheEntry(
    string Pipeline, string Block, string Key, string Output, int? Items, string RunId, string InstanceKey, int Attempt, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt);

/// <summary>Cached block outputs, shared by every run and worker of a store.</summary>
internal interface ICacheEntries
{
    /// <summary>The entry for <paramref name="key"/> of the block, or null.</summary>
    Task<CacheEntry?> GetCacheEntryAsync(string pipeline, string block, string key, CancellationToken cancellationToken);

    /// <summary>Adds the entry or replaces the one under the same key (the last computation of a key wins; they agree).</summary>
    Task PutCacheEntryAsync(CacheEntry entry, CancellationToken cancellationToken);

    /// <summary>The entries, of one pipeline and block when given, by pipeline, block and creation time.</summary>
    Task<IReadOnlyList<CacheEntry>> ListCacheEntriesAsync(string? pipeline, string? block, CancellationToken cancellationToken);

    /// <summary>Deletes the entries of one pipeline and block when given, else all; returns how many.</summary>
    Task<int> DeleteCacheEntriesAsync(string? pipeline, string? block, CancellationToken cancellationToken);
}

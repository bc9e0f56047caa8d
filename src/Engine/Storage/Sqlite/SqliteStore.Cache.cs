using Microsoft.Data.Sqlite;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>Cached block outputs in the <c>cache_entries</c> table, a row per cache key.</summary>
internal sealed partial class SqliteStore
{
    private const string SelectCacheEntries =
        "SELECT pipeline, block, key, output, items, run_id, instance_key, attempt, created_at, expires_at FROM cache_entries";

    /// <inheritdoc/>
    public Task<CacheEntry?> GetCacheEntryAsync(string pipeline, string block, string key, CancellationToken cancellationToken) => LockedAsync(() =>
    {
        using var command = Command($"{SelectCacheEntries} WHERE key = $key AND pipeline = $pipeline AND block = $block", null,
            ("$key", key), ("$pipeline", pipeline), ("$block", block));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadCacheEntry(reader) : null;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task PutCacheEntryAsync(CacheEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync(transaction =>
        {
            using var upsert = Command(
                """
                INSERT OR REPLACE INTO cache_entries (key, pipeline, block, output, items, run_id, instance_key, attempt, created_at, expires_at)
                VALUES ($key, $pipeline, $block, $output, $items, $run, $instance, $attempt, $created, $expires)
                """,
                transaction, ("$key", entry.Key), ("$pipeline", entry.Pipeline), ("$block", entry.Block), ("$output", entry.Output), ("$items", entry.Items),
                ("$run", entry.RunId), ("$instance", entry.InstanceKey), ("$attempt", entry.Attempt), ("$created", Ms(entry.CreatedAt)),
                ("$expires", entry.ExpiresAt is { } expires ? Ms(expires) : null));
            upsert.ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<CacheEntry>> ListCacheEntriesAsync(string? pipeline, string? block, CancellationToken cancellationToken) =>
        LockedAsync<IReadOnlyList<CacheEntry>>(() =>
        {
            using var command = Command($"{SelectCacheEntries} WHERE {CacheFilter} ORDER BY pipeline, block, created_at, key", null,
                ("$pipeline", pipeline), ("$block", block));
            using var reader = command.ExecuteReader();
            var entries = new List<CacheEntry>();
            while (reader.Read())
            {
                entries.Add(ReadCacheEntry(reader));
            }

            return entries;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<int> DeleteCacheEntriesAsync(string? pipeline, string? block, CancellationToken cancellationToken) => WriteAsync(transaction =>
    {
        using var delete = Command($"DELETE FROM cache_entries WHERE {CacheFilter}", transaction, ("$pipeline", pipeline), ("$block", block));
        return delete.ExecuteNonQuery();
    }, cancellationToken);

    // A null filter matches every row.
    private const string CacheFilter = "($pipeline IS NULL OR pipeline = $pipeline) AND ($block IS NULL OR block = $block)";

    private static CacheEntry ReadCacheEntry(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt32(4),
        reader.GetString(5), reader.GetString(6), reader.GetInt32(7), FromMs(reader.GetValue(8))!.Value, FromMs(reader.GetValue(9)));
}

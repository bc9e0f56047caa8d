using Azure;
using Azure.Data.Tables;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Cached block outputs as rows of the index table's <c>cache</c> partition, keyed <c>PIPELINE|BLOCK|KEY</c> so that a
/// pipeline's or a block's entries are one range to list or clear.
/// </summary>
internal sealed partial class AzureStore
{
    private const string CachePartition = "cache";

    Task<CacheEntry?> ICacheEntries.GetCacheEntryAsync(string pipeline, string block, string key, CancellationToken cancellationToken) =>
        AzureFailures.Translate(async () =>
        {
            var row = await _index.GetEntityIfExistsAsync<TableEntity>(CachePartition, CacheRowKey(pipeline, block, key), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return row.HasValue ? ReadCacheEntry(row.Value!) : null;
        }, $"read the cache entry of {pipeline}/{block}");

    Task ICacheEntries.PutCacheEntryAsync(CacheEntry entry, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => _index.UpsertEntityAsync(new TableEntity(CachePartition, CacheRowKey(entry.Pipeline, entry.Block, entry.Key))
        {
            ["Pipeline"] = entry.Pipeline,
            ["Block"] = entry.Block,
            ["Key"] = entry.Key,
            ["Output"] = entry.Output,
            ["Items"] = entry.Items,
            ["RunId"] = entry.RunId,
            ["InstanceKey"] = entry.InstanceKey,
            ["Attempt"] = entry.Attempt,
            ["CreatedAt"] = entry.CreatedAt,
            ["ExpiresAt"] = entry.ExpiresAt,
        }, TableUpdateMode.Replace, cancellationToken), $"store the cache entry of {entry.Pipeline}/{entry.Block}");

    Task<IReadOnlyList<CacheEntry>> ICacheEntries.ListCacheEntriesAsync(string? pipeline, string? block, CancellationToken cancellationToken) =>
        AzureFailures.Translate(async () =>
        {
            var entries = new List<CacheEntry>();
            await foreach (var row in QueryCacheRowsAsync(pipeline, block, cancellationToken).ConfigureAwait(false))
            {
                entries.Add(ReadCacheEntry(row));
            }

            return (IReadOnlyList<CacheEntry>)[.. entries
                .OrderBy(e => e.Pipeline, StringComparer.Ordinal).ThenBy(e => e.Block, StringComparer.Ordinal).ThenBy(e => e.CreatedAt).ThenBy(e => e.Key, StringComparer.Ordinal)];
        }, "list cache entries");

    Task<int> ICacheEntries.DeleteCacheEntriesAsync(string? pipeline, string? block, CancellationToken cancellationToken) =>
        AzureFailures.Translate(async () =>
        {
            var keys = new List<string>();
            await foreach (var row in QueryCacheRowsAsync(pipeline, block, cancellationToken).ConfigureAwait(false))
            {
                keys.Add(row.RowKey);
            }

            return await DeleteRowsAsync(_index, CachePartition, keys, cancellationToken).ConfigureAwait(false);
        }, "clear cache entries");

    // The entries whose outputs were purged with their runs: one look over the partition per batch of purged runs, so
    // that entries nobody asks for again do not pile up. A purge that stops before this leaves entries a lookup
    // treats as misses (their outputs are gone), which the next purge of other runs does not see; clearing removes them.
    private async Task ForgetCacheEntriesAsync(IReadOnlyCollection<string> purgedRuns, CancellationToken cancellationToken)
    {
        var runs = purgedRuns.ToHashSet(StringComparer.Ordinal);
        var rows = new List<string>();
        await foreach (var row in _index.QueryAsync<TableEntity>(
            $"PartitionKey eq '{CachePartition}'", select: ["RowKey", "RunId"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (runs.Contains(row.GetString("RunId") ?? ""))
            {
                rows.Add(row.RowKey);
            }
        }

        await DeleteRowsAsync(_index, CachePartition, rows, cancellationToken).ConfigureAwait(false);
    }

    private AsyncPageable<TableEntity> QueryCacheRowsAsync(string? pipeline, string? block, CancellationToken cancellationToken)
    {
        var filter = pipeline is null
            ? $"PartitionKey eq '{CachePartition}'"
            : TableKeys.PrefixFilter(CachePartition, block is null ? $"{TableKeys.Escape(pipeline)}|" : $"{TableKeys.Escape(pipeline)}|{TableKeys.Escape(block)}|");
        if (pipeline is null && block is not null)
        {
            filter += $" and Block eq '{TableKeys.Quote(block)}'";
        }

        return _index.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken);
    }

    private static string CacheRowKey(string pipeline, string block, string key) => $"{TableKeys.Escape(pipeline)}|{TableKeys.Escape(block)}|{key}";

    private static CacheEntry ReadCacheEntry(TableEntity row) => new(
        row.GetString("Pipeline"), row.GetString("Block"), row.GetString("Key"), row.GetString("Output"), row.GetInt32("Items"), row.GetString("RunId"),
        row.GetString("InstanceKey"), row.GetInt32("Attempt") ?? 1, row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("ExpiresAt"));
}

using Azure;
using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Run listings and active rows over the index's sharded partitions (<see cref="RunIndex.Partition"/>), and the move
/// of a store's listings from the one partition they used before into their shards.
/// </summary>
internal sealed partial class AzureStore
{
    // Whether the legacy listing partition may still hold rows: read and repaired until the sweeper has emptied it.
    private volatile bool _legacyIndex = true;

    private static readonly TimeSpan LegacyProbeInterval = TimeSpan.FromMinutes(5);
    private DateTimeOffset _legacyProbedAt = DateTimeOffset.MinValue;

    // Rows the sweeper moves out of the legacy partition per sweep, so one sweep stays short.
    private const int LegacyRowsPerSweep = 1000;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var condition = "";
        if (query.After is { } after)
        {
            // Listing rows sort by their key (inverted time, then run id), so the next page starts after the cursor's key.
            condition += $" and RowKey gt '{TableKeys.Quote(RunIndex.ListKey(after.RunId, after.RequestedAt))}'";
        }

        if (query.Pipeline is { } pipeline)
        {
            condition += $" and Pipeline eq '{TableKeys.Quote(pipeline)}'";
        }

        if (query.Status is { } status)
        {
            condition += $" and Status eq '{status.ToSnakeCase()}'";
        }

        // Listing keys invert the requested time, so a time range is a range of keys: the table reads only those rows.
        if (query.RequestedFrom is { } from)
        {
            condition += $" and RowKey lt '{TableKeys.Quote(RunIndex.ListKeyBound(from))}'";
        }

        if (query.RequestedBefore is { } before)
        {
            condition += $" and RowKey ge '{TableKeys.Quote(RunIndex.ListKeyBound(before))}'";
        }

        if (query.WaitingOnly)
        {
            condition += " and Status eq 'running' and Waiting eq true";
        }

        // Each partition's rows come sorted; the newest of all are among each one's first Limit.
        var rows = await ListingRowsAsync(RunIndex.ListPrefix, condition, query.Limit, cancellationToken).ConfigureAwait(false);
        return [.. Newest(rows).Take(query.Limit).Select(RunIndex.ReadListing)];
    }

    /// <summary>Runs holding a slot or unfinished, by the active rows matching <paramref name="condition"/>.</summary>
    private async Task<int> CountActiveAsync(string condition, CancellationToken cancellationToken)
    {
        var rows = await ListingRowsAsync(RunIndex.ActivePrefix, condition, limit: null, cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.GetString("RunId")).Distinct(StringComparer.Ordinal).Count();
    }

    /// <summary>The rows starting with <paramref name="prefix"/> of every listing partition, at most <paramref name="limit"/> from each.</summary>
    private async Task<List<TableEntity>> ListingRowsAsync(string prefix, string condition, int? limit, CancellationToken cancellationToken)
    {
        if (_legacyIndex && Now - _legacyProbedAt > LegacyProbeInterval)
        {
            // Another process's sweeper may have emptied it.
            await ProbeLegacyIndexAsync(cancellationToken).ConfigureAwait(false);
        }

        var partitions = _legacyIndex ? RunIndex.ListingPartitions : RunIndex.ListingPartitions.Where(p => p != RunIndex.Legacy);
        var found = await Task.WhenAll(partitions.Select(async partition =>
        {
            var rows = new List<TableEntity>();
            await foreach (var entity in _index.QueryAsync<TableEntity>(
                TableKeys.PrefixFilter(partition, prefix) + condition, maxPerPage: limit is { } l ? Math.Min(l, 1000) : null, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(entity);
                if (rows.Count >= limit)
                {
                    break;
                }
            }

            return rows;
        })).ConfigureAwait(false);
        return [.. found.SelectMany(rows => rows)];
    }

    // Newest first across partitions; a run listed in its shard and (not yet moved) in the legacy partition counts once.
    private static IEnumerable<TableEntity> Newest(List<TableEntity> rows) =>
        rows.OrderBy(r => r.RowKey, StringComparer.Ordinal)
            .ThenBy(r => r.PartitionKey == RunIndex.Legacy ? 1 : 0)
            .DistinctBy(r => r.RowKey, StringComparer.Ordinal);

    /// <summary>Whether the store still has listings in the legacy partition (checked when it opens).</summary>
    private async Task ProbeLegacyIndexAsync(CancellationToken cancellationToken)
    {
        _legacyProbedAt = Now;
        await foreach (var page in _index.QueryAsync<TableEntity>($"PartitionKey eq '{RunIndex.Legacy}'", maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken)
            .AsPages().ConfigureAwait(false))
        {
            _legacyIndex = page.Values.Count > 0;
            return;
        }

        _legacyIndex = false;
    }

    /// <summary>Moves up to <see cref="LegacyRowsPerSweep"/> rows of the legacy listing partition to their shards.</summary>
    private async Task MoveLegacyListingsAsync(CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in _index.QueryAsync<TableEntity>($"PartitionKey eq '{RunIndex.Legacy}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
            if (rows.Count == LegacyRowsPerSweep)
            {
                break;
            }
        }

        foreach (var row in rows)
        {
            // Copied before deleted, so a crash in between lists the run twice for a while (merged on reads), never not
            // at all. Only added: a row its shard has already was written there since, by a status change, and is newer.
            var moved = new TableEntity(row) { PartitionKey = RunIndex.Partition(row.GetString("RunId")), RowKey = row.RowKey, ETag = default };
            try
            {
                await _index.AddEntityAsync(moved, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // The shard's row stands.
            }

            try
            {
                await _index.DeleteEntityAsync(RunIndex.Legacy, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Deleted by the run's own status change, which wrote its shard's rows.
            }
        }

        if (rows.Count < LegacyRowsPerSweep)
        {
            _legacyIndex = false;
        }
    }
}

using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Purging finished runs. The run entity goes first, deleted under the ETag it was checked at: that is the fence, so a
/// run retried meanwhile stays, and a commit to a purged run fails. Then the rest of the run's partition, its blobs
/// (outputs, large logs, staged commits), its idempotency key and, last, its listing: a purge that stops half way
/// leaves the listing of a finished run without its run entity, and the next purge finishes the job from there.
/// </summary>
internal sealed partial class AzureStore
{
    // The most operations one entity-group transaction takes.
    private const int MaxTransactionActions = 100;

    private SingletonLease? _purgeTurn;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> PurgeRunsAsync(
        IReadOnlyList<RunSummary> runs, DateTimeOffset endedBefore, Func<ExternalHistory, CancellationToken, Task<bool>> purgeHistory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(purgeHistory);
        var purged = new List<string>();
        foreach (var run in runs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await PurgeRunAsync(run, endedBefore, purgeHistory, cancellationToken).ConfigureAwait(false))
            {
                purged.Add(run.RunId);
            }
        }

        if (purged.Count > 0)
        {
            await ForgetCacheEntriesAsync(purged, cancellationToken).ConfigureAwait(false);
        }

        return purged;
    }

    /// <inheritdoc/>
    /// <remarks>A blob lease, as for the sweeper: a process that dies gives the turn up within a minute.</remarks>
    public Task<bool> TryTakePurgeTurnAsync(CancellationToken cancellationToken)
    {
        _purgeTurn ??= new SingletonLease(Container, "retention", _options.SingletonLease);
        return _purgeTurn.TryHoldAsync(cancellationToken);
    }

    private async Task<bool> PurgeRunAsync(
        RunSummary listed, DateTimeOffset endedBefore, Func<ExternalHistory, CancellationToken, Task<bool>> purgeHistory, CancellationToken cancellationToken)
    {
        var partition = RunPartition.Key(listed.RunId);
        var requestedAt = listed.RequestedAt;
        var run = await _runs.GetEntityIfExistsAsync<TableEntity>(partition, RunPartition.RunRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (run.HasValue)
        {
            var state = RunPartition.ReadRun(run.Value!).State;
            if (!state.Status.IsTerminal() || state.EndedAt is not { } ended || ended >= endedBefore)
            {
                return false;
            }

            if (state.Runtime is { } runtime && !await purgeHistory(new ExternalHistory(listed.RunId, runtime, state.Round), cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            try
            {
                await _runs.DeleteEntityAsync(partition, RunPartition.RunRow, run.Value!.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // A commit (a retry) or another purge got there first.
                return false;
            }

            _versions.TryRemove(listed.RunId, out _);
            requestedAt = state.RequestedAt;
        }
        else if (!listed.Status.IsTerminal() || listed.EndedAt is not { } listedEnd || listedEnd >= endedBefore)
        {
            // A listing whose run was never created is the sweeper's to drop; only a finished one is a purge's leftover.
            return false;
        }

        var rows = new List<TableEntity>();
        await foreach (var entity in _runs.QueryAsync<TableEntity>(
            $"PartitionKey eq '{TableKeys.Quote(partition)}'", select: ["RowKey", "IdempotencyKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(entity);
        }

        // Before the partition's key row, which is how the key is found again if this stops here.
        if (rows.FirstOrDefault(r => r.RowKey == RunPartition.KeyRow)?.GetString("IdempotencyKey") is { } key)
        {
            await ForgetIdempotencyKeyAsync(listed.RunId, key, cancellationToken).ConfigureAwait(false);
        }

        await DeleteRowsAsync(_runs, partition, [.. rows.Select(r => r.RowKey)], cancellationToken).ConfigureAwait(false);
        foreach (var prefix in BlobPrefixes(listed.RunId))
        {
            await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
            {
                await Container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        await RemoveFromIndexAsync(listed.RunId, requestedAt, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The blob folders of a run: block outputs as the engine names them (<c>runs/{run}/...</c>, see BlockOutputs),
    /// log lines too large for a table entity (<c>logs/</c>) and staged commits (<c>commits/</c>) under the escaped id.
    /// </summary>
    private static IEnumerable<string> BlobPrefixes(string runId) =>
        [$"runs/{runId}/", $"logs/{TableKeys.Escape(runId)}/", $"commits/{TableKeys.Escape(runId)}/"];

    // Only while the key still names this run: a key is claimed before its run exists, by whoever asks first.
    private async Task ForgetIdempotencyKeyAsync(string runId, string key, CancellationToken cancellationToken)
    {
        var rowKey = TableKeys.Escape(key);
        var row = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.Keys, rowKey, ["RunId"], cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value!.GetString("RunId") != runId)
        {
            return;
        }

        try
        {
            await _index.DeleteEntityAsync(RunIndex.Keys, rowKey, row.Value.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone, or claimed again meanwhile.
        }
    }

    /// <summary>
    /// Deletes rows of <paramref name="partition"/> of <paramref name="table"/>, a transaction per hundred; rows deleted
    /// meanwhile (sent outboxes, entries cleared by another process) are skipped. Returns how many it deleted.
    /// </summary>
    private static async Task<int> DeleteRowsAsync(TableClient table, string partition, IReadOnlyList<string> rowKeys, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var chunk in rowKeys.Chunk(MaxTransactionActions))
        {
            var actions = chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, row), ETag.All)).ToList();
            while (actions.Count > 0)
            {
                try
                {
                    await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                    deleted += actions.Count;
                    break;
                }
                catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedTransactionActionIndex is { } index)
                {
                    actions.RemoveAt(index);
                }
            }
        }

        return deleted;
    }

    /// <summary>
    /// Takes a purged run out of the listings: its listing row and, if one was left, its active row. The one place a
    /// purge touches the run index's listing partition.
    /// </summary>
    private async Task RemoveFromIndexAsync(string runId, DateTimeOffset requestedAt, CancellationToken cancellationToken)
    {
        // Its shard's rows, and those a store written before sharding may still have in the legacy partition.
        foreach (var partition in _legacyIndex ? [RunIndex.Partition(runId), RunIndex.Legacy] : new[] { RunIndex.Partition(runId) })
        {
            await DeleteIfExistsAsync(_index, partition, RunIndex.ActiveKey(runId), cancellationToken).ConfigureAwait(false);
            await DeleteIfExistsAsync(_index, partition, RunIndex.ListKey(runId, requestedAt), cancellationToken).ConfigureAwait(false);
        }
    }
}

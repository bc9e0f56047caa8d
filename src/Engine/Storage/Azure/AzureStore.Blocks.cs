using Azure;
using Azure.Data.Tables;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Block rows: what a commit writes, and commits too large for one entity-group transaction, whose block changes are
/// staged in a blob and written after the commit's own transaction (<see cref="StagedBlocks"/>).
/// </summary>
internal sealed partial class AzureStore
{
    // An entity-group transaction holds at most 100 entities and 4 MiB; the byte budget leaves room for the batch's
    // own envelope around each entity.
    private const int MaxTransactionEntities = 100;
    private const int MaxTransactionBytes = 3_500_000;

    /// <summary>The block rows a commit writes.</summary>
    private async Task<BlockWrites> ChangedBlocksAsync(RunCommit commit, KnownRun? known, CancellationToken cancellationToken)
    {
        // A new run, or a layout-1 run converted by this commit, has no block rows yet: write them all.
        if (known is null || known.Layout < RunPartition.CurrentLayout)
        {
            return BlockWrites.All(commit.State, []);
        }

        if (commit.BlockChanges is { } changes)
        {
            return BlockWrites.Of(commit.State, changes);
        }

        // Nothing says what changed: write every block, and bury the stored ones the state no longer has.
        var stored = new List<string>();
        await foreach (var row in _runs.QueryAsync<TableEntity>(
            TableKeys.PrefixFilter(RunPartition.Key(commit.RunId), RunBlockRows.Prefix), select: ["Key", "Gone"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetBoolean("Gone") != true && !commit.State.Blocks.ContainsKey(row.GetString("Key")))
            {
                stored.Add(row.GetString("Key"));
            }
        }

        return BlockWrites.All(commit.State, stored);
    }

    /// <summary>Whether <paramref name="entities"/> fit one transaction.</summary>
    private static bool FitsOneTransaction(IEnumerable<TableEntity> entities)
    {
        var count = 0;
        var bytes = 0L;
        foreach (var entity in entities)
        {
            count++;
            bytes += RunBlockRows.EstimatedSize(entity);
            if (count > MaxTransactionEntities || bytes > MaxTransactionBytes)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes <paramref name="staged"/> to a blob of its own and returns the blob's name.</summary>
    private async Task<string> StageAsync(string runId, StagedBlocks staged, CancellationToken cancellationToken)
    {
        var name = $"commits/{TableKeys.Escape(runId)}/{TableKeys.Number(staged.Version)}-{Guid.NewGuid():N}.json.gz";
        await Container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(CompressedPayload.Compress(staged.ToJson())), overwrite: false, cancellationToken)
            .ConfigureAwait(false);
        return name;
    }

    private async Task<StagedBlocks?> ReadStagedAsync(string blob, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Container.GetBlobClient(blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return StagedBlocks.FromJson(CompressedPayload.Decompress(content.Value.Content.ToArray()));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Written out and deleted by whoever finished it.
            return null;
        }
    }

    private async Task DeleteStagedAsync(string blob)
    {
        try
        {
            await Container.GetBlobClient(blob).DeleteIfExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            // Nothing names it any more; a blob left behind costs only its bytes.
        }
    }

    /// <summary>
    /// Writes the block rows of this process's own split commit, whose transaction just succeeded. The commit is
    /// durable already: if another process finished the rows first, or writing them failed, the next commit on the run
    /// (or the sweeper) finishes them, and readers lay the staged changes over the rows until then. Returns the run
    /// entity's ETag when this process finished them, else null.
    /// </summary>
    private async Task<ETag?> FinishOwnStagedAsync(string runId, StagedBlocks staged, string blob, ETag fenced, CancellationToken cancellationToken)
    {
        try
        {
            var etag = await WriteStagedAsync(runId, staged, blob, fenced, cancellationToken).ConfigureAwait(false);
            await DeleteStagedAsync(blob).ConfigureAwait(false);
            return etag;
        }
        catch (Exception e) when (e is ConcurrencyConflictException or RequestFailedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the rows of a split commit that another process left unfinished, before a commit on top of it; returns
    /// the run entity's new ETag. A conflict means the run moved on meanwhile.
    /// </summary>
    private async Task<ETag> FinishStagedAsync(string runId, string blob, ETag etag, CancellationToken cancellationToken)
    {
        var staged = await ReadStagedAsync(blob, cancellationToken).ConfigureAwait(false)
            ?? throw new ConcurrencyConflictException($"run {runId} changed while its staged blocks were written");
        var finished = await WriteStagedAsync(runId, staged, blob, etag, cancellationToken).ConfigureAwait(false);
        await DeleteStagedAsync(blob).ConfigureAwait(false);
        return finished;
    }

    /// <summary>
    /// Writes the staged rows in transactions of up to 99, each with a merge of the run entity under the ETag the one
    /// before returned, so that a process that fell behind (another finished these rows and committed on top) fails
    /// instead of writing old blocks over new ones. The last transaction clears <c>Pending</c>.
    /// </summary>
    private async Task<ETag> WriteStagedAsync(string runId, StagedBlocks staged, string blob, ETag etag, CancellationToken cancellationToken)
    {
        var rows = staged.Written.Select(w => RunBlockRows.Row(runId, w.Key, w.Value, staged.Version))
            .Concat(staged.Removed.Select(key => RunBlockRows.Tombstone(runId, key, staged.Version)))
            .ToList();
        var batches = Batches(rows).ToList();
        for (var i = 0; i < batches.Count; i++)
        {
            var last = i == batches.Count - 1;
            var run = new TableEntity(RunPartition.Key(runId), RunPartition.RunRow) { ["Pending"] = last ? "" : blob };
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, run, etag) };
            actions.AddRange(batches[i].Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)));
            try
            {
                var response = await _runs.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                etag = response.Value[0].Headers.ETag ?? await StagedETagAsync(runId, staged.Version, last ? null : blob, cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                throw new ConcurrencyConflictException($"run {runId} changed while its staged blocks were written", e);
            }
        }

        return etag;
    }

    // When the service did not say the new ETag: read it, if the run is still where this process left it.
    private async Task<ETag> StagedETagAsync(string runId, long version, string? pending, CancellationToken cancellationToken) =>
        await RunETagIfAsync(runId, version, pending, cancellationToken).ConfigureAwait(false)
            ?? throw new ConcurrencyConflictException($"run {runId} changed while its staged blocks were written");

    /// <summary>Groups rows into transactions of at most 99 (one place is the run entity's) and the byte budget.</summary>
    private static IEnumerable<List<TableEntity>> Batches(List<TableEntity> rows)
    {
        var batch = new List<TableEntity>();
        var bytes = 0L;
        foreach (var row in rows)
        {
            var size = RunBlockRows.EstimatedSize(row);
            if (batch.Count > 0 && (batch.Count == MaxTransactionEntities - 1 || bytes + size > MaxTransactionBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(row);
            bytes += size;
        }

        yield return batch;
    }
}

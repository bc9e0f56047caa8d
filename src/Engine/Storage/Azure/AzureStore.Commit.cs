using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>The write side: one entity-group transaction per commit, then the outbox's effects.</summary>
internal sealed partial class AzureStore
{
    // A lease with less than this left is checked with the queue before a commit that consumes its message.
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(5);

    // Log lines larger than this (compressed) go to a blob, so that a chatty block cannot outgrow the transaction.
    private const int InlineLogBytes = 45 * 1024;

    /// <summary>
    /// Tests set this to simulate a process that dies right after a commit's transaction, before its queue puts (and
    /// before the block rows of a split commit): the returned exception is thrown at that point.
    /// </summary>
    internal Func<RunCommit, Exception?>? DieAfterTransaction { get; set; }

    /// <inheritdoc/>
    public async Task CommitAsync(RunCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var consumed = commit.Consumed is { } work ? await HoldForCommitAsync(work, cancellationToken).ConfigureAwait(false) : null;
        foreach (var also in commit.AlsoConsumed)
        {
            await HoldForCommitAsync(also, cancellationToken).ConfigureAwait(false);
        }
        if (commit.ConcurrencyLimit is { } limit)
        {
            await TakeSlotAsync(commit.RunId, commit.State.Pipeline, limit, cancellationToken).ConfigureAwait(false);
        }

        if (commit.ExpectedVersion == 0)
        {
            await PrepareCreationAsync(commit, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await PinPlanAsync(commit, cancellationToken).ConfigureAwait(false);
        }

        var now = Now;
        var version = commit.ExpectedVersion + commit.Events.Count;
        var known = commit.ExpectedVersion == 0 ? null : await KnownRunAsync(commit, cancellationToken).ConfigureAwait(false);
        var blocks = await ChangedBlocksAsync(commit, known, cancellationToken).ConfigureAwait(false);
        var outbox = new Outbox(commit.State.Pipeline, now, [.. commit.Outgoing.DistinctBy(i => i.Key, StringComparer.Ordinal)], commit.Checkpoints);
        var hasOutbox = outbox.Messages.Count > 0 || outbox.Checkpoints.Count > 0;
        var actions = new List<TableTransactionAction>();
        if (commit.ExpectedVersion == 0 && commit.IdempotencyKey is { } idempotencyKey)
        {
            // Kept in the run's partition too, so that a purge of the run finds the key's index row.
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, RunPartition.IdempotencyKey(commit.RunId, idempotencyKey)));
        }

        if (commit.Events.Count > 0)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, RunPartition.Events(commit.RunId, commit.ExpectedVersion + 1, commit.Events)));
            if (blocks.Count > 0)
            {
                actions.Add(new TableTransactionAction(
                    TableTransactionActionType.Add, RunPartition.ChangedBlocks(commit.RunId, commit.ExpectedVersion + 1, blocks.Keys)));
            }
        }

        if (hasOutbox)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, RunPartition.Outbox(commit.RunId, version, outbox)));
        }

        if (commit.Logs.Count > 0)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, await LogsEntityAsync(commit, version, cancellationToken).ConfigureAwait(false)));
        }

        if (consumed is not null && commit.DeadLetterReason is { } reason)
        {
            var letter = new DeadLetter(consumed.Queue, commit.Consumed!.Key, commit.Consumed.Deliveries, reason, now);
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, RunPartition.DeadLetter(commit.RunId, version, letter, commit.Consumed.Body)));
        }

        // The blocks go into the commit's own transaction when they fit; otherwise they are staged in a blob that the
        // run entity names, and written after the commit (see StagedBlocks).
        var run = RunAction(commit, version, known);
        var blockRows = actions.Count + 1 + blocks.Count <= MaxTransactionEntities ? blocks.Rows(commit.RunId, version) : null;
        StagedBlocks? staged = null;
        string? stagedBlob = null;
        if (blockRows is not null && FitsOneTransaction(actions.Select(a => (TableEntity)a.Entity).Append((TableEntity)run.Entity).Concat(blockRows)))
        {
            actions.AddRange(blockRows.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)));
        }
        else
        {
            staged = blocks.Staged(version);
            stagedBlob = await StageAsync(commit.RunId, staged, cancellationToken).ConfigureAwait(false);
            ((TableEntity)run.Entity)["Pending"] = stagedBlob;
        }

        actions.Insert(0, run);
        ETag? etag;
        try
        {
            etag = await SubmitAsync(commit, actions, cancellationToken).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException) when (stagedBlob is not null)
        {
            // A conflict usually means the transaction wrote nothing, and its staged blob is nobody's. But a transaction
            // whose response was lost and that the client sent again is refused by its own success: then the run names
            // this very blob, and the commit happened. After any other failure the transaction may have happened, and
            // the blob stays.
            if (await RunETagIfAsync(commit.RunId, version, stagedBlob, cancellationToken).ConfigureAwait(false) is not { } committed)
            {
                await DeleteStagedAsync(stagedBlob).ConfigureAwait(false);
                throw;
            }

            etag = committed;
        }

        if (DieAfterTransaction?.Invoke(commit) is { } death)
        {
            throw death;
        }

        if (staged is not null && etag is { } fenced)
        {
            etag = await FinishOwnStagedAsync(commit.RunId, staged, stagedBlob!, fenced, cancellationToken).ConfigureAwait(false);
        }

        // Without the new ETag, forget the version rather than cache a wildcard: the next commit reads the ETag, and the
        // fence against concurrent writers stays.
        if (etag is { } current)
        {
            _versions[commit.RunId] = new KnownRun(version, current, RunPartition.CurrentLayout, null);
        }
        else
        {
            _versions.TryRemove(commit.RunId, out _);
        }

        // The commit is durable; what follows is its effects, which the outbox repeats if this process dies here.
        var reused = consumed is not null && commit.DeadLetterReason is null
            ? await TryReuseConsumedAsync(commit.Consumed!.LeaseToken, outbox.Messages, cancellationToken).ConfigureAwait(false)
            : null;
        if (hasOutbox)
        {
            await ApplyOutboxAsync(outbox with { Messages = [.. outbox.Messages.Where(m => !ReferenceEquals(m, reused))] }, cancellationToken).ConfigureAwait(false);
            _sent.Add(commit.RunId, RunPartition.OutboxPrefix + TableKeys.Number(version), QueueLeases.Now);
        }

        // A split commit that ended the run but could not write its block rows keeps the run listed as active, so
        // that the sweeper, which walks active runs, finishes the rows; it then updates the listing.
        var unfinishedEnd = staged is not null && etag is null && commit.State.Status.IsTerminal();
        if (commit.Events.Any(e => e is RunCompleted) && !unfinishedEnd)
        {
            await SendLeftOutboxesAsync(commit.RunId, version, cancellationToken).ConfigureAwait(false);
        }

        if (commit.ExpectedVersion > 0 && (commit.Events.Any(ChangesStatus) || commit.WaitingChanged) && !unfinishedEnd)
        {
            await UpdateIndexAsync(commit.RunId, commit.State, version, cancellationToken).ConfigureAwait(false);
        }

        if (consumed is not null && reused is null)
        {
            await DeleteMessageAsync(commit.Consumed!.LeaseToken, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var also in commit.AlsoConsumed)
        {
            await DeleteMessageAsync(also.LeaseToken, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static bool ChangesStatus(RunEvent e) => e is RunStarted or RunCompleted or CancelRequested or RunRetryRequested or RunTimedOut;

    private static TableTransactionAction RunAction(RunCommit commit, long version, KnownRun? known)
    {
        var entity = RunPartition.Run(commit.RunId, commit.State, version);
        return known is null
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)

            // Replace, not merge: a layout-1 snapshot's chunks must not outlive it in the smaller entity.
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, known.ETag);
    }

    /// <summary>The run entity's ETag if it is at <paramref name="version"/> with <paramref name="pending"/> staged (null: none), else null.</summary>
    private async Task<ETag?> RunETagIfAsync(string runId, long version, string? pending, CancellationToken cancellationToken)
    {
        var current = await _runs.GetEntityIfExistsAsync<TableEntity>(RunPartition.Key(runId), RunPartition.RunRow, ["Version", "Pending"], cancellationToken).ConfigureAwait(false);
        return current.HasValue && KnownRun.From(current.Value!) is { } known && known.Version == version && known.Pending == pending ? known.ETag : null;
    }

    /// <summary>
    /// The run entity as the commit must find it: at the version the decision was made on, its staged blocks (a
    /// split commit's, whose process may have died) written. Fails with a conflict when the run moved on.
    /// </summary>
    private async Task<KnownRun> KnownRunAsync(RunCommit commit, CancellationToken cancellationToken)
    {
        if (!_versions.TryGetValue(commit.RunId, out var known) || known.Version != commit.ExpectedVersion)
        {
            // This process has not seen that version: read the ETag it has now, and fail at once if it moved on.
            var current = await _runs.GetEntityIfExistsAsync<TableEntity>(
                RunPartition.Key(commit.RunId), RunPartition.RunRow, ["Version", "Layout", "Pending"], cancellationToken).ConfigureAwait(false);
            if (!current.HasValue || current.Value!.GetInt64("Version") != commit.ExpectedVersion)
            {
                throw new ConcurrencyConflictException($"run {commit.RunId} changed since version {commit.ExpectedVersion} was read");
            }

            known = KnownRun.From(current.Value);
        }

        return known.Pending is { } pending
            ? known with { ETag = await FinishStagedAsync(commit.RunId, pending, known.ETag, cancellationToken).ConfigureAwait(false), Pending = null }
            : known;
    }

    /// <summary>Submits the transaction, folding in deletes of outboxes already sent; returns the run entity's new ETag, if the service said it.</summary>
    private async Task<ETag?> SubmitAsync(RunCommit commit, List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var sentOutboxes = _sent.Take(commit.RunId).ToList();
        var room = 100 - actions.Count;
        foreach (var rowKey in sentOutboxes.Take(room))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(RunPartition.Key(commit.RunId), rowKey), ETag.All));
        }

        _sent.PutBack(commit.RunId, sentOutboxes.Skip(room), QueueLeases.Now);
        var folded = sentOutboxes.Take(room).ToList();
        while (true)
        {
            try
            {
                var response = await _runs.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return response.Value[0].Headers.ETag;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedTransactionActionIndex is { } index
                && actions[index].ActionType == TableTransactionActionType.Delete)
            {
                // The sweeper deleted that outbox first; commit without it.
                folded.Remove(actions[index].Entity.RowKey);
                actions.RemoveAt(index);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                _sent.PutBack(commit.RunId, folded, QueueLeases.Now);
                if (commit.ExpectedVersion == 0)
                {
                    await RepairIndexAfterLostCreationAsync(commit, cancellationToken).ConfigureAwait(false);
                    throw new ConcurrencyConflictException($"run {commit.RunId} already exists", e);
                }

                throw new ConcurrencyConflictException($"run {commit.RunId} changed since version {commit.ExpectedVersion} was read", e);
            }
            catch (RequestFailedException e) when (e.Status is 400 or 413 && e.ErrorCode is "RequestBodyTooLarge" or "EntityTooLarge" or "PropertyValueTooLarge")
            {
                _sent.PutBack(commit.RunId, folded, QueueLeases.Now);
                throw new InvalidOperationException(
                    $"one commit of run {commit.RunId} is larger than an Azure table transaction holds (4 MiB, 100 entities): {e.Message}", e);
            }
            catch
            {
                _sent.PutBack(commit.RunId, folded, QueueLeases.Now);
                throw;
            }
        }
    }

    private async Task<TableEntity> LogsEntityAsync(RunCommit commit, long version, CancellationToken cancellationToken)
    {
        var rowKey = RunPartition.LogsPrefix + TableKeys.Number(version);
        var entity = new TableEntity(RunPartition.Key(commit.RunId), rowKey);
        var json = JsonSerializer.Serialize(commit.Logs, EngineJson.Options);
        var compressed = CompressedPayload.Compress(json);
        if (compressed.Length <= InlineLogBytes)
        {
            CompressedPayload.Write(entity, json, $"the log of one commit of run {commit.RunId}");
            return entity;
        }

        // Written before the transaction: if the transaction fails, an unreferenced blob is all that is left.
        var blob = $"logs/{TableKeys.Escape(commit.RunId)}/{Guid.NewGuid():N}.json.gz";
        await Container.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(compressed), overwrite: true, cancellationToken).ConfigureAwait(false);
        entity["Blob"] = blob;
        return entity;
    }

    private async Task ApplyOutboxAsync(Outbox outbox, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(
            outbox.Messages,
            new ParallelOptions { MaxDegreeOfParallelism = _options.SendParallelism, CancellationToken = cancellationToken },
            async (item, token) => await SendAsync(item, token).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var (name, value) in outbox.Checkpoints)
        {
            await SetCheckpointAsync(outbox.Pipeline, name, value, outbox.CommittedAt, onlyIfNewer: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SetCheckpointAsync(string pipeline, string name, JsonElement value, DateTimeOffset at, bool onlyIfNewer, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(RunIndex.Checkpoints, RunIndex.CheckpointKey(pipeline, name)) { ["Value"] = value.GetRawText(), ["SetAt"] = at };
        if (onlyIfNewer)
        {
            var current = await _index.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, ["SetAt"], cancellationToken).ConfigureAwait(false);
            if (current.HasValue && current.Value!.GetDateTimeOffset("SetAt") >= at)
            {
                return;
            }
        }

        await _index.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }
}

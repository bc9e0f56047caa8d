using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>The index side: idempotency keys, plans, run listings and concurrency slots, outside the run's partition.</summary>
internal sealed partial class AzureStore
{
    // A slot taken by a run that is still pending is kept this long: its start may be committing right now.
    private static readonly TimeSpan SlotGrace = TimeSpan.FromMinutes(1);

    /// <summary>Before a run's first transaction: claim its idempotency key, pin its plan, and list it.</summary>
    private async Task PrepareCreationAsync(RunCommit commit, CancellationToken cancellationToken)
    {
        if (commit.IdempotencyKey is { } key)
        {
            await ClaimIdempotencyKeyAsync(commit.RunId, key, cancellationToken).ConfigureAwait(false);
        }

        await PinPlanAsync(commit, cancellationToken).ConfigureAwait(false);

        // Listed before it exists, so that the sweeper finds it whatever happens next; a listing whose run never
        // appears is removed by the sweeper.
        await _index.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, RunIndex.Listing(commit.RunId, commit.State, commit.Events.Count)),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, RunIndex.Active(commit.RunId, commit.State, Now)),
            ],
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores the commit's plan under its hash before the commit names it: at a run's creation, and when a retry
    /// switches the run to a plan made from refreshed files.
    /// </summary>
    private async Task PinPlanAsync(RunCommit commit, CancellationToken cancellationToken)
    {
        if (commit.Plan is { } plan && !_knownPlans.ContainsKey(commit.State.DefinitionHash))
        {
            var entity = new TableEntity(RunIndex.Plans, TableKeys.Escape(commit.State.DefinitionHash)) { ["Pipeline"] = plan.Pipeline };
            CompressedPayload.Write(entity, plan.ToJson(), $"the plan of pipeline {plan.Pipeline}");
            try
            {
                await _index.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Pinned by an earlier run: plans never change under their hash.
            }

            _knownPlans[commit.State.DefinitionHash] = true;
        }
    }

    private async Task ClaimIdempotencyKeyAsync(string runId, string key, CancellationToken cancellationToken)
    {
        try
        {
            await _index.AddEntityAsync(new TableEntity(RunIndex.Keys, TableKeys.Escape(key)) { ["RunId"] = runId, ["At"] = Now }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var owner = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.Keys, TableKeys.Escape(key), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (owner.HasValue && owner.Value!.GetString("RunId") != runId)
            {
                throw new ConcurrencyConflictException($"idempotency key '{key}' already started run {owner.Value.GetString("RunId")}", e);
            }

            // The key names this very run id (a schedule tick handled again derives both). Claimed by an attempt that
            // died before creating the run, creation goes on; if the run exists, stop here, before the index rows are
            // rewritten as if it were new.
            var run = await _runs.GetEntityIfExistsAsync<TableEntity>(RunPartition.Key(runId), RunPartition.RunRow, ["Status"], cancellationToken).ConfigureAwait(false);
            if (run.HasValue)
            {
                throw new ConcurrencyConflictException($"run {runId} exists already (idempotency key '{key}')", e);
            }
        }
    }

    /// <summary>
    /// Another process created the run first (a schedule tick handled twice): drop this attempt's listing if it
    /// differs from the winner's, and point the active row at the winner's.
    /// </summary>
    private async Task RepairIndexAfterLostCreationAsync(RunCommit commit, CancellationToken cancellationToken)
    {
        var winner = await GetRunAsync(commit.RunId, cancellationToken).ConfigureAwait(false);
        var mine = RunIndex.ListKey(commit.RunId, commit.State.RequestedAt);
        if (winner is null || RunIndex.ListKey(commit.RunId, winner.State.RequestedAt) == mine)
        {
            return;
        }

        await DeleteIfExistsAsync(_index, RunIndex.Partition(commit.RunId), mine, cancellationToken).ConfigureAwait(false);
        await UpdateIndexAsync(commit.RunId, winner.State, winner.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings the run's listing and active rows up to <paramref name="state"/>, at <paramref name="version"/>. Commits of
    /// one run are ordered but their index updates are not: a process that stalls after its commit must not list the run
    /// as it was before a later commit. So the listing carries the version it shows and is replaced only under the ETag
    /// read, and never by an older version.
    /// </summary>
    internal async Task UpdateIndexAsync(string runId, RunState state, long version, CancellationToken cancellationToken)
    {
        if (_legacyIndex)
        {
            // Rows of this run in the partition listings used before they were sharded would list it twice.
            await DeleteIfExistsAsync(_index, RunIndex.Legacy, RunIndex.ListKey(runId, state.RequestedAt), cancellationToken).ConfigureAwait(false);
            await DeleteIfExistsAsync(_index, RunIndex.Legacy, RunIndex.ActiveKey(runId), cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 1; ; attempt++)
        {
            var listed = await _index.GetEntityIfExistsAsync<TableEntity>(
                RunIndex.Partition(runId), RunIndex.ListKey(runId, state.RequestedAt), ["Version"], cancellationToken).ConfigureAwait(false);
            if (listed.HasValue && listed.Value!.GetInt64("Version") is { } shown && shown > version)
            {
                return;
            }

            var entity = RunIndex.Listing(runId, state, version);
            var listing = listed.HasValue
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, listed.Value!.ETag)
                : new TableTransactionAction(TableTransactionActionType.Add, entity);
            try
            {
                await WriteIndexRowsAsync(runId, state, listing, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412 && attempt < 5)
            {
                // Another update (or the run's purge) came in between: read again and decide again.
            }
        }
    }

    private async Task WriteIndexRowsAsync(string runId, RunState state, TableTransactionAction listing, CancellationToken cancellationToken)
    {
        if (!state.Status.IsTerminal())
        {
            await _index.SubmitTransactionAsync(
                [listing, new TableTransactionAction(TableTransactionActionType.UpsertReplace, RunIndex.Active(runId, state, Now))],
                cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await _index.SubmitTransactionAsync(
                [listing, new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(RunIndex.Partition(runId), RunIndex.ActiveKey(runId)), ETag.All)],
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedTransactionActionIndex == 1)
        {
            await _index.SubmitTransactionAsync([listing], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes one of <paramref name="limit"/> slots of <paramref name="pipeline"/> for <paramref name="runId"/>, under
    /// the slot row's ETag so that two starts cannot take the last slot. A slot is held by a run while it is running or
    /// cancelling, so a run whose process died gives its slot back once another process finishes or fails it.
    /// </summary>
    private async Task TakeSlotAsync(string runId, string pipeline, int limit, CancellationToken cancellationToken)
    {
        var rowKey = TableKeys.Escape(pipeline);
        while (true)
        {
            var row = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.Slots, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var holders = row.HasValue ? JsonSerializer.Deserialize<List<SlotHolder>>(row.Value!.GetString("Holders") ?? "[]") ?? [] : [];
            var kept = new List<SlotHolder>();
            foreach (var holder in holders.Where(h => h.RunId != runId))
            {
                if (await HoldsSlotAsync(holder, cancellationToken).ConfigureAwait(false))
                {
                    kept.Add(holder);
                }
            }

            if (kept.Count >= limit)
            {
                throw new ConcurrencyLimitReachedException($"pipeline {pipeline} already has {limit} run(s) running (concurrency: {limit})");
            }

            kept.Add(new SlotHolder(runId, Now));
            var entity = new TableEntity(RunIndex.Slots, rowKey) { ["Holders"] = JsonSerializer.Serialize(kept) };
            try
            {
                if (row.HasValue)
                {
                    await _index.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _index.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another start changed the slots first; look again.
            }
        }
    }

    private async Task<bool> HoldsSlotAsync(SlotHolder holder, CancellationToken cancellationToken)
    {
        var run = await _runs.GetEntityIfExistsAsync<TableEntity>(RunPartition.Key(holder.RunId), RunPartition.RunRow, ["Status"], cancellationToken).ConfigureAwait(false);
        var status = run.HasValue ? RunIndex.ParseStatus(run.Value!.GetString("Status")) : (RunStatus?)null;
        return status is RunStatus.Running or RunStatus.Cancelling || (status is null or RunStatus.Pending && Now - holder.At < SlotGrace);
    }

    private static async Task DeleteIfExistsAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Gone already.
        }
    }

    private sealed record SlotHolder(string RunId, DateTimeOffset At);
}

using Azure;
using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Background duties. Every process deletes the outboxes it sent that no commit picked up. One process at a time,
/// holding the sweeper lease, walks the unfinished runs: it re-sends outboxes left by processes that died between a
/// commit and its queue puts, repairs listings whose update was lost, and drops listings of runs never created.
/// </summary>
internal sealed partial class AzureStore
{
    // Sent outboxes wait this long for a commit to delete them in passing before they cost a delete of their own.
    private static readonly TimeSpan FoldWindow = TimeSpan.FromSeconds(2);

    /// <inheritdoc/>
    public async Task RunMaintenanceAsync(CancellationToken stopping)
    {
        var sweeper = new SingletonLease(Container, "sweeper", _options.SingletonLease);
        var nextSweep = Now;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    await DeleteSentOutboxesAsync(stopping).ConfigureAwait(false);
                    if (Now >= nextSweep)
                    {
                        nextSweep = Now + _options.SweepInterval;
                        if (await sweeper.TryHoldAsync(stopping).ConfigureAwait(false))
                        {
                            await SweepAsync(stopping).ConfigureAwait(false);
                        }
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(500), _time, stopping).ConfigureAwait(false);
                }
                catch (RequestFailedException)
                {
                    // Storage hiccups are retried by the SDK; one that gets through is retried on the next round.
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await sweeper.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>One sweep over the unfinished runs (public for tests and for an operator's one-off repair).</summary>
    /// <returns>How many messages were sent again.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (_legacyIndex)
        {
            await MoveLegacyListingsAsync(cancellationToken).ConfigureAwait(false);
        }

        var resent = 0;
        var active = await ListingRowsAsync(RunIndex.ActivePrefix, "", limit: null, cancellationToken).ConfigureAwait(false);
        foreach (var row in active)
        {
            resent += await SweepRunAsync(row, cancellationToken).ConfigureAwait(false);
        }

        return resent;
    }

    private async Task<int> SweepRunAsync(TableEntity activeRow, CancellationToken cancellationToken)
    {
        var runId = activeRow.GetString("RunId");
        var partition = RunPartition.Key(runId);
        var filter = $"PartitionKey eq '{TableKeys.Quote(partition)}' and (RowKey eq '{RunPartition.RunRow}' or "
            + $"(RowKey ge '{RunPartition.OutboxPrefix}' and RowKey lt '{TableKeys.UpperBound(RunPartition.OutboxPrefix)}'))";
        TableEntity? run = null;
        var outboxes = new List<TableEntity>();
        await foreach (var entity in _runs.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.RowKey == RunPartition.RunRow)
            {
                run = entity;
            }
            else
            {
                outboxes.Add(entity);
            }
        }

        if (run is null)
        {
            // Listed by a start whose transaction never happened (or has not happened yet: wait before judging).
            if (Now - (activeRow.GetDateTimeOffset("Since") ?? Now) > _options.SweepAfter)
            {
                await DeleteIfExistsAsync(_index, activeRow.PartitionKey, activeRow.GetString("ListKey"), cancellationToken).ConfigureAwait(false);
                await DeleteIfExistsAsync(_index, activeRow.PartitionKey, activeRow.RowKey, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }

        var resent = 0;
        foreach (var entity in outboxes.Where(o => Now - (o.GetDateTimeOffset("CommittedAt") ?? Now) > _options.SweepAfter))
        {
            resent += await ResendOutboxAsync(partition, entity, _ => true, cancellationToken).ConfigureAwait(false);
        }

        var header = RunPartition.ReadRun(run);
        if (header.Pending is { } pending && Now - (run.Timestamp ?? Now) > _options.SweepAfter)
        {
            // A split commit whose process died before writing all its block rows: finish them, so the staged blob
            // does not have to be read by every reader from now on.
            try
            {
                await FinishStagedAsync(runId, pending, header.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException)
            {
                // Someone else finished them, or committed on top, meanwhile.
            }
        }

        var state = header.State;
        if (state.Status.ToSnakeCase() != activeRow.GetString("Status") || state.IsWaiting != (activeRow.GetBoolean("Waiting") == true)
            || state.Status.IsTerminal())
        {
            await UpdateIndexAsync(runId, state, header.Version, cancellationToken).ConfigureAwait(false);
        }

        return resent;
    }

    // Sends an outbox's needed messages and its checkpoints again, then deletes it; receivers check every message
    // against the run (and alerts against their record), so one sent twice does nothing twice.
    private async Task<int> ResendOutboxAsync(string partition, TableEntity entity, Func<WorkItem, bool> needed, CancellationToken cancellationToken)
    {
        var outbox = RunPartition.ReadOutbox(entity);
        var messages = outbox.Messages.Where(needed).ToList();
        foreach (var message in messages)
        {
            await SendAsync(message, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (name, value) in outbox.Checkpoints)
        {
            await SetCheckpointAsync(outbox.Pipeline, name, value, outbox.CommittedAt, onlyIfNewer: true, cancellationToken).ConfigureAwait(false);
        }

        await DeleteIfExistsAsync(_runs, partition, entity.RowKey, cancellationToken).ConfigureAwait(false);
        return messages.Count;
    }

    /// <summary>
    /// Called by the commit that ends a run, before the run leaves the active listing that the sweeper walks: sends
    /// what earlier commits of the run left in their outboxes (a process that died between its transaction and its
    /// sends). Before alerts, a run could not end with such work unsent, since it needed it to go on; an alert is not
    /// needed to go on, so without this it would be left behind for good.
    /// </summary>
    private async Task SendLeftOutboxesAsync(string runId, long endVersion, CancellationToken cancellationToken)
    {
        var partition = RunPartition.Key(runId);
        var own = _sent.Take(runId).ToHashSet(StringComparer.Ordinal);
        var end = RunPartition.OutboxPrefix + TableKeys.Number(endVersion);
        var filter = $"PartitionKey eq '{TableKeys.Quote(partition)}' and RowKey ge '{RunPartition.OutboxPrefix}' and RowKey lt '{TableKeys.Quote(end)}'";
        await foreach (var entity in _runs.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // This process sent its own already; they wait for DeleteSentOutboxesAsync (below) like any other.
            if (own.Contains(entity.RowKey))
            {
                continue;
            }

            // Not the run's own work: it has ended, so none is left. A block's message may well have been delivered (a
            // process that dies within FoldWindow of its sends leaves its outbox too), and a copy would do harm: its
            // delivery count starts afresh, and until this commit returns this process's snapshot still shows the run
            // running, so a copy of an attempt this very commit dead-lettered would run once more.
            await ResendOutboxAsync(partition, entity, m => m.Queue == WorkQueues.Alerts || m.RunId != runId, cancellationToken).ConfigureAwait(false);
        }

        // What this process sent stays listed for its later deletion.
        _sent.PutBack(runId, own, QueueLeases.Now);
    }

    private async Task DeleteSentOutboxesAsync(CancellationToken cancellationToken)
    {
        var cutoff = QueueLeases.Now - (long)(FoldWindow.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        foreach (var (runId, rowKeys) in _sent.TakeOlderThan(cutoff))
        {
            foreach (var rowKey in rowKeys)
            {
                await DeleteIfExistsAsync(_runs, RunPartition.Key(runId), rowKey, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

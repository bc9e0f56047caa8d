using System.Text.Json;
using Azure.Data.Tables;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The audit log in the index table's <c>audit</c> partition: a row per entry keyed by its id, so a scan of the
/// partition reads the newest first, and one partition lets a purge delete a hundred rows per transaction.
/// </summary>
internal sealed partial class AzureStore : IAuditLog
{
    private const int AuditDeleteBatch = 100;

    /// <inheritdoc/>
    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var row = new TableEntity(RunIndex.Audit, entry.Id)
        {
            ["At"] = entry.At,
            ["Actor"] = entry.Actor,
            ["ActorKind"] = entry.ActorKind,
            ["Action"] = entry.Action,
            ["Target"] = entry.Target,
            ["Parameters"] = entry.Parameters?.GetRawText(),
            ["Result"] = entry.Result,
            ["Client"] = entry.Client,
        };
        await _index.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = $"PartitionKey eq '{RunIndex.Audit}'";
        if (query.Before is { } before)
        {
            filter += $" and RowKey gt '{TableKeys.Quote(before)}'";
        }

        if (query.Since is { } since)
        {
            // The row key bound keeps the scan to the entries since then (ids sort newest first); the time filter is exact.
            filter += $" and RowKey lt '{AuditIds.Bound(since)}.' and At ge datetime'{ODataTime(since)}'";
        }

        if (query.Actor is { } actor)
        {
            filter += $" and Actor eq '{TableKeys.Quote(actor)}'";
        }

        if (query.Action is { } action)
        {
            filter += $" and Action eq '{TableKeys.Quote(action)}'";
        }

        var entries = new List<AuditEntry>();
        await foreach (var row in _index.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(query.Limit, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(ReadAudit(row));
            if (entries.Count == query.Limit)
            {
                break;
            }
        }

        return entries;
    }

    /// <inheritdoc/>
    public async Task<int> PurgeAuditAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken)
    {
        // Older entries have larger ids, so they are the partition's last rows: from the cutoff's bound onwards.
        var filter = $"PartitionKey eq '{RunIndex.Audit}' and RowKey gt '{AuditIds.Bound(cutoff)}' and At lt datetime'{ODataTime(cutoff)}'";
        var purged = 0;
        var batch = new List<TableTransactionAction>();
        await foreach (var row in _index.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row));
            if (batch.Count == AuditDeleteBatch || purged + batch.Count == max)
            {
                await _index.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
                purged += batch.Count;
                batch.Clear();
                if (purged == max)
                {
                    return purged;
                }
            }
        }

        if (batch.Count > 0)
        {
            await _index.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
            purged += batch.Count;
        }

        return purged;
    }

    private static string ODataTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    private static AuditEntry ReadAudit(TableEntity row)
    {
        JsonElement? parameters = null;
        if (row.GetString("Parameters") is { } text)
        {
            using var document = JsonDocument.Parse(text);
            parameters = document.RootElement.Clone();
        }

        return new AuditEntry(
            row.RowKey, row.GetDateTimeOffset("At")!.Value, row.GetString("Actor"), row.GetString("ActorKind"), row.GetString("Action"), row.GetString("Target") ?? "",
            parameters, row.GetString("Result"), row.GetString("Client"));
    }
}

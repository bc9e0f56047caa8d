using Azure;
using Azure.Data.Tables;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Alert deliveries as rows of the run's partition (<c>alert|KEY</c>), so a purge of the run takes them with it. The
/// first record of a key adds its row with the time it began; later ones replace the rest.
/// </summary>
internal sealed partial class AzureStore
{
    private const string AlertsPrefix = "alert|";

    /// <inheritdoc/>
    public async Task RecordAlertAsync(string runId, AlertRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(record);
        var row = new TableEntity(RunPartition.Key(runId), AlertsPrefix + TableKeys.Escape(record.Key))
        {
            ["Key"] = record.Key,
            ["Event"] = record.Event.ToString(),
            ["Destination"] = record.Destination.ToString(),
            ["Block"] = record.Block,
            ["Status"] = record.Status.ToString(),
            ["Attempts"] = record.Attempts,
            ["Detail"] = record.Detail,
            ["At"] = record.At,
        };
        try
        {
            await _runs.AddEntityAsync(new TableEntity(row) { ["FirstAt"] = record.At }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Recorded before: FirstAt stays as it was.
            await _runs.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<AlertRecord?> GetAlertAsync(string runId, string key, CancellationToken cancellationToken)
    {
        var row = await _runs.GetEntityIfExistsAsync<TableEntity>(RunPartition.Key(runId), AlertsPrefix + TableKeys.Escape(key), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return row.HasValue ? ReadAlert(row.Value!).Record : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(string runId, CancellationToken cancellationToken)
    {
        var rows = new List<(DateTimeOffset First, AlertRecord Record)>();
        await foreach (var row in _runs.QueryAsync<TableEntity>(TableKeys.PrefixFilter(RunPartition.Key(runId), AlertsPrefix), cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            rows.Add(ReadAlert(row));
        }

        return [.. rows.OrderBy(r => r.First).ThenBy(r => r.Record.Key, StringComparer.Ordinal).Select(r => r.Record)];
    }

    private static (DateTimeOffset First, AlertRecord Record) ReadAlert(TableEntity row)
    {
        var at = row.GetDateTimeOffset("At") ?? default;
        return (row.GetDateTimeOffset("FirstAt") ?? at, new AlertRecord(
            row.GetString("Key"), Enum.Parse<AlertEvent>(row.GetString("Event")), Enum.Parse<AlertDestination>(row.GetString("Destination")),
            row.GetString("Block"), Enum.Parse<AlertDeliveryStatus>(row.GetString("Status")), row.GetInt32("Attempts") ?? 0, row.GetString("Detail") ?? "", at));
    }
}

using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>Backfills as rows of the index table's <c>backfills</c> partition: the record as JSON, changed under its ETag.</summary>
internal sealed partial class AzureStore
{
    private const string BackfillPartition = "backfills";

    Task IBackfills.AddBackfillAsync(Backfill backfill, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => _index.AddEntityAsync(BackfillRow(backfill), cancellationToken), $"add backfill {backfill.Id}");

    Task<StoredBackfill?> IBackfills.GetBackfillAsync(string id, CancellationToken cancellationToken) =>
        AzureFailures.Translate(async () =>
        {
            var row = await _index.GetEntityIfExistsAsync<TableEntity>(BackfillPartition, TableKeys.Escape(id), cancellationToken: cancellationToken).ConfigureAwait(false);
            return row.HasValue ? ReadBackfill(row.Value!) : null;
        }, $"read backfill {id}");

    Task<IReadOnlyList<StoredBackfill>> IBackfills.ListBackfillsAsync(string? pipeline, bool runningOnly, CancellationToken cancellationToken) =>
        AzureFailures.Translate(async () =>
        {
            var filter = $"PartitionKey eq '{BackfillPartition}'"
                + (pipeline is null ? "" : $" and Pipeline eq '{TableKeys.Quote(pipeline)}'")
                + (runningOnly ? $" and Status eq '{nameof(BackfillStatus.Running)}'" : "");
            var listed = new List<StoredBackfill>();
            await foreach (var row in _index.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                listed.Add(ReadBackfill(row));
            }

            return (IReadOnlyList<StoredBackfill>)[.. listed.OrderByDescending(b => b.Backfill.CreatedAt).ThenByDescending(b => b.Backfill.Id, StringComparer.Ordinal)];
        }, "list backfills");

    Task<bool> IBackfills.TryUpdateBackfillAsync(Backfill backfill, string version, CancellationToken cancellationToken) =>
        AzureFailures.Translate(async () =>
        {
            try
            {
                await _index.UpdateEntityAsync(BackfillRow(backfill), new ETag(version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                return false;
            }
        }, $"update backfill {backfill.Id}");

    private static TableEntity BackfillRow(Backfill backfill) => new(BackfillPartition, TableKeys.Escape(backfill.Id))
    {
        ["Pipeline"] = backfill.Pipeline,
        ["Status"] = backfill.Status.ToString(),
        ["Body"] = JsonSerializer.Serialize(backfill, EngineJson.Options),
    };

    private static StoredBackfill ReadBackfill(TableEntity row) =>
        new(JsonSerializer.Deserialize<Backfill>(row.GetString("Body"), EngineJson.Options)!, row.ETag.ToString());
}

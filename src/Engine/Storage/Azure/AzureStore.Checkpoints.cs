using System.Text.Json;
using Azure.Data.Tables;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>Checkpoints as rows of the index table's <c>checkpoints</c> partition (<c>PIPELINE|NAME</c>), listed, set and deleted by hand.</summary>
internal sealed partial class AzureStore
{
    Task<IReadOnlyList<CheckpointValue>> ICheckpoints.ListCheckpointsAsync(string pipeline, CancellationToken cancellationToken) =>
        AzureFailures.Translate(async () =>
        {
            var prefix = $"{TableKeys.Escape(pipeline)}|";
            var listed = new List<CheckpointValue>();
            await foreach (var row in _index.QueryAsync<TableEntity>(TableKeys.PrefixFilter(RunIndex.Checkpoints, prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                using var value = JsonDocument.Parse(row.GetString("Value"));
                listed.Add(new CheckpointValue(TableKeys.Unescape(row.RowKey[prefix.Length..]), value.RootElement.Clone(), row.GetDateTimeOffset("SetAt") ?? default));
            }

            return (IReadOnlyList<CheckpointValue>)[.. listed.OrderBy(c => c.Name, StringComparer.Ordinal)];
        }, $"list the checkpoints of {pipeline}");

    Task ICheckpoints.SetCheckpointAsync(string pipeline, string name, JsonElement value, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => SetCheckpointAsync(pipeline, name, value, _time.GetUtcNow(), onlyIfNewer: false, cancellationToken), $"set checkpoint {name} of {pipeline}");

    Task<int> ICheckpoints.DeleteCheckpointsAsync(string pipeline, string? name, CancellationToken cancellationToken) =>
        AzureFailures.Translate(async () =>
        {
            var rows = new List<string>();
            var filter = name is null
                ? TableKeys.PrefixFilter(RunIndex.Checkpoints, $"{TableKeys.Escape(pipeline)}|")
                : $"PartitionKey eq '{RunIndex.Checkpoints}' and RowKey eq '{TableKeys.Quote(RunIndex.CheckpointKey(pipeline, name))}'";
            await foreach (var row in _index.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row.RowKey);
            }

            return await DeleteRowsAsync(_index, RunIndex.Checkpoints, rows, cancellationToken).ConfigureAwait(false);
        }, $"delete checkpoints of {pipeline}");
}

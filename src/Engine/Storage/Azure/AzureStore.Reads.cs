using System.Text.Json;
using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>The read side: plans and events, listings and counts from the index, logs and dead letters.</summary>
internal sealed partial class AzureStore
{
    /// <inheritdoc/>
    public async Task<RunPlan> GetPlanAsync(string hash, CancellationToken cancellationToken)
    {
        var entity = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.Plans, TableKeys.Escape(hash), cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue
            ? RunPlan.FromJson(CompressedPayload.Read(entity.Value!))
            : throw new InvalidOperationException($"the store has no pinned definition {hash}");
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunEvent>> GetEventsAsync(string runId, CancellationToken cancellationToken)
    {
        var events = new List<RunEvent>();
        await foreach (var entity in _runs.QueryAsync<TableEntity>(TableKeys.PrefixFilter(RunPartition.Key(runId), RunPartition.EventsPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.AddRange(RunPartition.ReadEvents(entity));
        }

        return events;
    }

    /// <inheritdoc/>
    public async Task<string?> FindRunByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        var entity = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.Keys, TableKeys.Escape(idempotencyKey), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!entity.HasValue)
        {
            return null;
        }

        // A key is claimed before its run is written; one whose run never appeared belongs to a start that failed.
        var runId = entity.Value!.GetString("RunId");
        if (await GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is not null || Now - entity.Value.GetDateTimeOffset("At") < SlotGrace)
        {
            return runId;
        }

        await DeleteIfExistsAsync(_index, RunIndex.Keys, entity.Value.RowKey, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <inheritdoc/>
    public async Task<int> CountActiveRunsAsync(string pipeline, CancellationToken cancellationToken) =>
        await CountActiveAsync($" and Pipeline eq '{TableKeys.Quote(pipeline)}' and (Status eq 'running' or Status eq 'cancelling')", cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<int> CountUnfinishedRunsAsync(CancellationToken cancellationToken) =>
        await CountActiveAsync(" and (Status eq 'pending' or Status eq 'running' or Status eq 'cancelling')", cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LogLine>> GetLogsAsync(string runId, string? block, CancellationToken cancellationToken)
    {
        var lines = new List<LogLine>();
        await foreach (var entity in _runs.QueryAsync<TableEntity>(TableKeys.PrefixFilter(RunPartition.Key(runId), RunPartition.LogsPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var json = entity.GetString("Blob") is { } blob
                ? CompressedPayload.Decompress((await Container.GetBlobClient(blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray())
                : CompressedPayload.Read(entity);
            lines.AddRange((JsonSerializer.Deserialize<List<LogLine>>(json, EngineJson.Options) ?? [])
                .Where(l => block is null || l.Block == block || l.Block.StartsWith(block + "[", StringComparison.Ordinal)));
        }

        return lines;
    }

    /// <inheritdoc/>
    public async Task<JsonElement?> GetCheckpointAsync(string pipeline, string name, CancellationToken cancellationToken)
    {
        var entity = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.Checkpoints, RunIndex.CheckpointKey(pipeline, name), cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? JsonDocument.Parse(entity.Value!.GetString("Value")).RootElement.Clone() : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string runId, CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetter>();
        await foreach (var entity in _runs.QueryAsync<TableEntity>(TableKeys.PrefixFilter(RunPartition.Key(runId), RunPartition.DeadPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            letters.Add(RunPartition.ReadDeadLetter(entity));
        }

        return letters;
    }
}

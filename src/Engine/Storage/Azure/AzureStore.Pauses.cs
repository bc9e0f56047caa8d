using Azure;
using Azure.Data.Tables;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>Paused schedules in the index table's <c>pauses</c> partition, one row per paused pipeline.</summary>
internal sealed partial class AzureStore : ISchedulePauses
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<SchedulePause>> ListSchedulePausesAsync(CancellationToken cancellationToken)
    {
        var pauses = new List<SchedulePause>();
        await foreach (var entity in _index.QueryAsync<TableEntity>(e => e.PartitionKey == RunIndex.Pauses, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            pauses.Add(ReadPause(entity));
        }

        return [.. pauses.OrderBy(p => p.Pipeline, StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public async Task<(SchedulePause Pause, bool Added)> PauseSchedulesAsync(SchedulePause pause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pause);
        var entity = new TableEntity(RunIndex.Pauses, TableKeys.Escape(pause.Pipeline))
        {
            ["Pipeline"] = pause.Pipeline,
            ["Since"] = Now,
            ["By"] = pause.By,
            ["Reason"] = pause.Reason,
        };
        try
        {
            await _index.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return (ReadPause(entity), true);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Paused already: that pause stands. Gone since, or being resumed (claimed, not yet deleted): this pause
            // takes its place, under the ETag read, so it is not deleted by the resume it came after.
            var stored = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.Pauses, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!stored.HasValue)
            {
                return await PauseSchedulesAsync(pause, cancellationToken).ConfigureAwait(false);
            }

            if (stored.Value!.GetBoolean("Resuming") != true)
            {
                return (ReadPause(stored.Value), false);
            }

            try
            {
                await _index.UpdateEntityAsync(entity, stored.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return (ReadPause(entity), true);
            }
            catch (RequestFailedException lost) when (lost.Status is 404 or 412)
            {
                return await PauseSchedulesAsync(pause, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public async Task<SchedulePause?> ResumeSchedulesAsync(string pipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var stored = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.Pauses, TableKeys.Escape(pipeline), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!stored.HasValue)
        {
            return null;
        }

        try
        {
            // Claimed under the ETag read, then deleted: of resumes racing, only one gets the pause back. (A delete
            // alone would not tell them apart: the table client takes a delete of a missing row as done.)
            var claim = stored.Value!;
            claim["Resuming"] = true;
            var claimed = await _index.UpdateEntityAsync(claim, claim.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            await _index.DeleteEntityAsync(RunIndex.Pauses, claim.RowKey, claimed.Headers.ETag ?? ETag.All, cancellationToken).ConfigureAwait(false);
            return ReadPause(claim);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
    }

    private static SchedulePause ReadPause(TableEntity entity) => new(
        entity.GetString("Pipeline"), entity.GetDateTimeOffset("Since") ?? DateTimeOffset.MinValue, entity.GetString("By") ?? "", entity.GetString("Reason"));
}

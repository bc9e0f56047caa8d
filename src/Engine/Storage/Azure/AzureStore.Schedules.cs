using Azure;
using Azure.Data.Tables;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>Schedule marks in the index table's <c>schedules</c> partition, replaced only under their ETag.</summary>
internal sealed partial class AzureStore : IScheduleMarks
{
    /// <inheritdoc/>
    public async Task<ScheduleMark?> GetScheduleMarkAsync(string pipeline, string schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(schedule);
        var entity = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.Schedules, ScheduleKey(pipeline, schedule), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!entity.HasValue)
        {
            return null;
        }

        var value = entity.Value!;
        return new ScheduleMark(
            value.GetDateTimeOffset("HandledThrough") ?? DateTimeOffset.MinValue, value.GetDateTimeOffset("Next"),
            value.GetDateTimeOffset("LastUpdated") ?? DateTimeOffset.MinValue, value.ETag.ToString());
    }

    /// <inheritdoc/>
    public async Task<bool> TrySetScheduleMarkAsync(
        string pipeline, string schedule, DateTimeOffset handledThrough, DateTimeOffset? nextTick, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(schedule);
        var entity = new TableEntity(RunIndex.Schedules, ScheduleKey(pipeline, schedule))
        {
            ["Pipeline"] = pipeline,
            ["Schedule"] = schedule,
            ["HandledThrough"] = handledThrough.ToUniversalTime(),
            ["Next"] = nextTick?.ToUniversalTime(),
            ["LastUpdated"] = Now,
        };
        return await TryWriteIndexEntityAsync(entity, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds <paramref name="entity"/> to the index table (when <paramref name="expectedVersion"/> is null) or replaces
    /// it under that ETag: false, and nothing written, when another writer got there first.
    /// </summary>
    private async Task<bool> TryWriteIndexEntityAsync(TableEntity entity, string? expectedVersion, CancellationToken cancellationToken)
    {
        try
        {
            if (expectedVersion is null)
            {
                await _index.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _index.UpdateEntityAsync(entity, new ETag(expectedVersion), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            // 409: another writer added it first; 412: another replaced the version read; 404: it was deleted.
            return false;
        }
    }

    private static string ScheduleKey(string pipeline, string schedule) => $"{TableKeys.Escape(pipeline)}|{TableKeys.Escape(schedule)}";
}

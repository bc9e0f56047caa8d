using System.Text.Json;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The store's interfaces, implemented explicitly so that everything the engine does through them has its Azure
/// failures translated (<see cref="AzureFailures"/>). The public methods of the same names stay for the store's own
/// code and for what is Azure-specific by nature (the queue functions' adoption of delivered messages).
/// </summary>
internal sealed partial class AzureStore
{
    Task IRunStore.CommitAsync(RunCommit commit, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => CommitAsync(commit, cancellationToken), $"commit run {commit.RunId}");

    Task<StoredRun?> IRunStore.GetRunAsync(string runId, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => GetRunAsync(runId, cancellationToken), $"read run {runId}");

    Task<RunPlan> IRunStore.GetPlanAsync(string hash, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => GetPlanAsync(hash, cancellationToken), $"read plan {hash}");

    Task<IReadOnlyList<RunEvent>> IRunStore.GetEventsAsync(string runId, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => GetEventsAsync(runId, cancellationToken), $"read the events of run {runId}");

    Task<IReadOnlyList<RunSummary>> IRunStore.ListRunsAsync(RunQuery query, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => ListRunsAsync(query, cancellationToken), "list runs");

    Task<string?> IRunStore.FindRunByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => FindRunByIdempotencyKeyAsync(idempotencyKey, cancellationToken), "look up an idempotency key");

    Task<int> IRunStore.CountActiveRunsAsync(string pipeline, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => CountActiveRunsAsync(pipeline, cancellationToken), $"count the active runs of {pipeline}");

    Task<int> IRunStore.CountUnfinishedRunsAsync(CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => CountUnfinishedRunsAsync(cancellationToken), "count unfinished runs");

    Task<IReadOnlyList<LogLine>> IRunStore.GetLogsAsync(string runId, string? block, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => GetLogsAsync(runId, block, cancellationToken), $"read the logs of run {runId}");

    Task<JsonElement?> IRunStore.GetCheckpointAsync(string pipeline, string name, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => GetCheckpointAsync(pipeline, name, cancellationToken), $"read checkpoint {name} of {pipeline}");

    Task<IReadOnlyList<DeadLetter>> IRunStore.GetDeadLettersAsync(string runId, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => GetDeadLettersAsync(runId, cancellationToken), $"read the dead letters of run {runId}");

    Task<IReadOnlyList<string>> IRunPurge.PurgeRunsAsync(
        IReadOnlyList<RunSummary> runs, DateTimeOffset endedBefore, Func<ExternalHistory, CancellationToken, Task<bool>> purgeHistory, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => PurgeRunsAsync(runs, endedBefore, purgeHistory, cancellationToken), "purge runs");

    Task<bool> IRunPurge.TryTakePurgeTurnAsync(CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => TryTakePurgeTurnAsync(cancellationToken), "take its turn at purging runs");

    Task<IReadOnlyList<LeasedWork>> IWorkQueues.DequeueAsync(string queue, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => DequeueAsync(queue, max, lease, cancellationToken), $"receive from queue {queue}");

    Task<bool> IWorkQueues.RenewAsync(LeasedWork work, TimeSpan lease, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => RenewAsync(work, lease, cancellationToken), $"renew the lease of {work.Key}");

    Task IWorkQueues.ReleaseAsync(LeasedWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => ReleaseAsync(work, delay, cancellationToken), $"release {work.Key}");

    Task IWorkQueues.CompleteAsync(LeasedWork work, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => CompleteAsync(work, cancellationToken), $"delete the message of {work.Key}");

    Task<DateTimeOffset?> IWorkQueues.NextVisibleAtAsync(string queue, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => NextVisibleAtAsync(queue, cancellationToken), $"read queue {queue}");

    Task<ScheduleMark?> IScheduleMarks.GetScheduleMarkAsync(string pipeline, string schedule, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => GetScheduleMarkAsync(pipeline, schedule, cancellationToken), $"read the mark of schedule {schedule}");

    Task<bool> IScheduleMarks.TrySetScheduleMarkAsync(
        string pipeline, string schedule, DateTimeOffset handledThrough, DateTimeOffset? nextTick, string? expectedVersion, CancellationToken cancellationToken) =>
        AzureFailures.Translate(
            () => TrySetScheduleMarkAsync(pipeline, schedule, handledThrough, nextTick, expectedVersion, cancellationToken), $"write the mark of schedule {schedule}");

    Task<IReadOnlyList<SchedulePause>> ISchedulePauses.ListSchedulePausesAsync(CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => ListSchedulePausesAsync(cancellationToken), "list paused schedules");

    Task<(SchedulePause Pause, bool Added)> ISchedulePauses.PauseSchedulesAsync(SchedulePause pause, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => PauseSchedulesAsync(pause, cancellationToken), $"pause the schedules of {pause.Pipeline}");

    Task<SchedulePause?> ISchedulePauses.ResumeSchedulesAsync(string pipeline, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => ResumeSchedulesAsync(pipeline, cancellationToken), $"resume the schedules of {pipeline}");

    Task<bool> IAccessKeys.AddKeyAsync(AccessKey key, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => AddKeyAsync(key, cancellationToken), $"store API key {key.Name}");

    Task<AccessKey?> IAccessKeys.GetKeyAsync(string id, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => GetKeyAsync(id, cancellationToken), "look up an API key");

    Task<IReadOnlyList<AccessKey>> IAccessKeys.ListKeysAsync(CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => ListKeysAsync(cancellationToken), "list API keys");

    Task<AccessKey?> IAccessKeys.RevokeKeyAsync(string name, DateTimeOffset at, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => RevokeKeyAsync(name, at, cancellationToken), $"revoke API key {name}");

    Task IAuditLog.AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => AppendAuditAsync(entry, cancellationToken), $"append {entry.Action} to the audit log");

    Task<IReadOnlyList<AuditEntry>> IAuditLog.ListAuditAsync(AuditQuery query, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => ListAuditAsync(query, cancellationToken), "read the audit log");

    Task<int> IAuditLog.PurgeAuditAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => PurgeAuditAsync(cutoff, max, cancellationToken), "purge old audit entries");
}

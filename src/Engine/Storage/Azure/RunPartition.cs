using System.Text.Json;
using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The entities of one run's partition in the runs table: the run (its snapshot without blocks, its version and the
/// concurrency fence), one entity per block (<see cref="RunBlockRows"/>), the commits' events and the keys of the
/// blocks each changed, outboxes (work to send and checkpoints to set, kept until sent), log lines and dead letters;
/// and from its creation, the idempotency key it was created with, so that a purge of the run finds the key's index row.
/// </summary>
/// <remarks>
/// Layout 2 keeps each block in its own entity, so a commit writes only the blocks it changed. Layout 1 (stores
/// written before it) kept the blocks inside the run entity's snapshot; such a run is read as it is and converted by
/// its next commit, which writes every block. The run entity's <c>Layout</c> property says which.
/// </remarks>
internal static class RunPartition
{
    public const string RunRow = "run";
    public const string KeyRow = "key";
    public const string EventsPrefix = "evt|";
    public const string OutboxPrefix = "out|";
    public const string LogsPrefix = "log|";
    public const string DeadPrefix = "dead|";
    public const string ChangesPrefix = "chg|";

    /// <summary>The layout the store writes.</summary>
    public const int CurrentLayout = 2;


    /// <summary>The partition key of run <paramref name="runId"/>.</summary>
    public static string Key(string runId) => TableKeys.Escape(runId);

    /// <summary>
    /// The run entity at <paramref name="version"/>: the snapshot without blocks. A split commit sets <c>Pending</c> to
    /// the blob of its staged block changes.
    /// </summary>
    public static TableEntity Run(string runId, RunState state, long version)
    {
        var entity = new TableEntity(Key(runId), RunRow)
        {
            ["RunId"] = runId,
            ["Pipeline"] = state.Pipeline,
            ["Status"] = state.Status.ToSnakeCase(),
            ["Version"] = version,
            ["DefinitionHash"] = state.DefinitionHash,
            ["RequestedAt"] = state.RequestedAt,
            ["Layout"] = CurrentLayout,
            ["Pending"] = "",
        };
        CompressedPayload.Write(entity, state.ToJsonWithoutBlocks(), $"the state of run {runId}");
        return entity;
    }

    public static TableEntity IdempotencyKey(string runId, string key) => new(Key(runId), KeyRow) { ["IdempotencyKey"] = key };

    /// <summary>
    /// What the run entity holds: on layout 2 the run without its blocks, on layout 1 the whole run.
    /// </summary>
    public static RunHeader ReadRun(TableEntity entity) => new(
        RunState.FromJson(CompressedPayload.Read(entity)),
        entity.GetInt64("Version") ?? 0,
        entity.GetInt32("Layout") ?? 1,
        entity.GetString("Pending") is { Length: > 0 } pending ? pending : null,
        entity.ETag);

    public static TableEntity Events(string runId, long firstSeq, IReadOnlyList<RunEvent> events)
    {
        var entity = new TableEntity(Key(runId), EventsPrefix + TableKeys.Number(firstSeq)) { ["Count"] = events.Count };
        CompressedPayload.Write(entity, JsonSerializer.Serialize(events, EngineJson.Options), $"the events of one commit of run {runId}");
        return entity;
    }

    /// <summary>
    /// The keys of the blocks one commit changed, under the number of its first event like its events entity, so that
    /// a reader can tell which blocks the commits after the version it read changed.
    /// </summary>
    public static TableEntity ChangedBlocks(string runId, long firstSeq, IReadOnlyCollection<string> keys)
    {
        var entity = new TableEntity(Key(runId), ChangesPrefix + TableKeys.Number(firstSeq));
        CompressedPayload.Write(entity, JsonSerializer.Serialize(keys, EngineJson.Options), $"the changed blocks of one commit of run {runId}");
        return entity;
    }

    public static IReadOnlyList<string> ReadChangedBlocks(TableEntity entity) =>
        JsonSerializer.Deserialize<List<string>>(CompressedPayload.Read(entity), EngineJson.Options) ?? [];

    public static IReadOnlyList<RunEvent> ReadEvents(TableEntity entity) =>
        JsonSerializer.Deserialize<List<RunEvent>>(CompressedPayload.Read(entity), EngineJson.Options) ?? [];

    public static TableEntity Outbox(string runId, long version, Outbox outbox)
    {
        var entity = new TableEntity(Key(runId), OutboxPrefix + TableKeys.Number(version)) { ["CommittedAt"] = outbox.CommittedAt };
        CompressedPayload.Write(entity, JsonSerializer.Serialize(outbox, EngineJson.Options), $"the outgoing work of one commit of run {runId}");
        return entity;
    }

    public static Outbox ReadOutbox(TableEntity entity) =>
        JsonSerializer.Deserialize<Outbox>(CompressedPayload.Read(entity), EngineJson.Options)
        ?? throw new InvalidDataException($"outbox {entity.PartitionKey}/{entity.RowKey} is empty");

    public static TableEntity DeadLetter(string runId, long version, DeadLetter letter, string body)
    {
        var entity = new TableEntity(Key(runId), DeadPrefix + TableKeys.Number(version))
        {
            ["Queue"] = letter.Queue,
            ["Key"] = letter.Key,
            ["Deliveries"] = letter.Deliveries,
            ["Reason"] = letter.Reason,
            ["At"] = letter.At,
        };
        CompressedPayload.Write(entity, body, $"the dead-lettered message {letter.Key}");
        return entity;
    }

    public static DeadLetter ReadDeadLetter(TableEntity entity) => new(
        entity.GetString("Queue"), entity.GetString("Key"), entity.GetInt32("Deliveries") ?? 0, entity.GetString("Reason"),
        entity.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue);
}

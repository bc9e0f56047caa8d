using System.Text.Json;
using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The entities of one run's partition in the runs table, all written by one entity-group transaction per commit:
/// the run (its snapshot and version, the concurrency fence), the commit's events, its outbox (work to send and
/// checkpoints to set, kept until sent), its log lines and a dead letter; and from its creation, the idempotency key it
/// was created with, so that a purge of the run finds the key's index row.
/// </summary>
internal static class RunPartition
{
    public const string RunRow = "run";
    public const string KeyRow = "key";
    public const string EventsPrefix = "evt|";
    public const string OutboxPrefix = "out|";
    public const string LogsPrefix = "log|";
    public const string DeadPrefix = "dead|";

    /// <summary>The partition key of run <paramref name="runId"/>.</summary>
    public static string Key(string runId) => TableKeys.Escape(runId);

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
        };
        CompressedPayload.Write(entity, state.ToJson(), $"the state of run {runId}");
        return entity;
    }

    public static TableEntity IdempotencyKey(string runId, string key) => new(Key(runId), KeyRow) { ["IdempotencyKey"] = key };

    public static StoredRun ReadRun(TableEntity entity) =>
        new(RunState.FromJson(CompressedPayload.Read(entity)), entity.GetInt64("Version") ?? 0);

    public static TableEntity Events(string runId, long firstSeq, IReadOnlyList<RunEvent> events)
    {
        var entity = new TableEntity(Key(runId), EventsPrefix + TableKeys.Number(firstSeq)) { ["Count"] = events.Count };
        CompressedPayload.Write(entity, JsonSerializer.Serialize(events, EngineJson.Options), $"the events of one commit of run {runId}");
        return entity;
    }

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

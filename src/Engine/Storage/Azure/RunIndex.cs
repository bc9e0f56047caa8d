using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The entities of the index table: what needs a look across runs, which a per-run partition cannot answer.
/// <list type="bullet">
/// <item>Partitions <c>runs-0</c> to <c>runs-f</c> (<see cref="Shards"/>; a run's is chosen by a hash of its id): a
/// listing row per run, newest first (<c>list|{inverted time}|{run}</c>), and an <c>active|{run}</c> row per unfinished
/// run, which the sweeper walks. Both are updated after the run's commit; the sweeper repairs them when a process died
/// in between. Sixteen partitions, so that starts are not bounded by what one partition takes (about 2,000 writes a
/// second); a listing reads them all and merges. Stores written before kept these rows in one partition, <c>runs</c>
/// (<see cref="Legacy"/>): it is still read, and the sweeper moves its rows to their shards.</item>
/// <item><c>keys</c>: idempotency keys, inserted before the run so that a second request finds the first.</item>
/// <item><c>plans</c>: pinned plans by hash. <c>slots</c>: the runs holding a pipeline's concurrency slots.
/// <c>checkpoints</c>: watermarks by pipeline and name. <c>poison</c>: messages no worker could read.
/// <c>schedules</c>: each schedule's mark by pipeline and schedule, replaced under its ETag. <c>pauses</c>: pipelines
/// whose schedules are paused. <c>limits</c>: named limits' ledgers.</item>
/// </list>
/// </summary>
internal static class RunIndex
{
    /// <summary>How many partitions hold the run listings.</summary>
    public const int Shards = 16;

    /// <summary>The one partition of run listings in stores written before they were sharded.</summary>
    public const string Legacy = "runs";

    public const string ListPrefix = "list|";
    public const string ActivePrefix = "active|";
    public const string Keys = "keys";
    public const string Plans = "plans";
    public const string Slots = "slots";
    public const string Checkpoints = "checkpoints";
    public const string Poison = "poison";
    public const string Schedules = "schedules";

    /// <summary>The partition of paused schedules, one row per paused pipeline.</summary>
    public const string Pauses = "pauses";

    /// <summary>The partition of API keys: a row per key, and a row per live key's name that keeps names unique.</summary>
    public const string AccessKeys = "apikeys";

    /// <summary>The partition of the audit log, one row per entry, keyed by its id (newest first).</summary>
    public const string Audit = "audit";

    /// <summary>The partition of named limits' ledgers, one row per limit.</summary>
    public const string Limits = "limits";

    /// <summary>The partitions holding run listings: every shard, then the legacy one.</summary>
    public static IReadOnlyList<string> ListingPartitions { get; } = [.. Enumerable.Range(0, Shards).Select(Shard), Legacy];

    /// <summary>The partition holding run <paramref name="runId"/>'s listing and active rows.</summary>
    public static string Partition(string runId)
    {
        // FNV-1a: stable across processes and versions, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in runId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return Shard((int)(hash % Shards));
    }

    private static string Shard(int index) => $"runs-{index:x}";

    public static string ListKey(string runId, DateTimeOffset requestedAt) =>
        $"{ListPrefix}{TableKeys.Number(DateTimeOffset.MaxValue.UtcTicks - requestedAt.UtcTicks)}|{TableKeys.Escape(runId)}";

    /// <summary>
    /// The listing key just past every run requested at <paramref name="requestedAt"/>, toward older runs: keys below it
    /// are runs requested at or after that time, keys at or above it runs requested before.
    /// </summary>
    public static string ListKeyBound(DateTimeOffset requestedAt) =>
        $"{ListPrefix}{TableKeys.Number(DateTimeOffset.MaxValue.UtcTicks - requestedAt.UtcTicks + 1)}";

    public static string ActiveKey(string runId) => ActivePrefix + TableKeys.Escape(runId);

    /// <summary>The listing row of a run, showing it at <paramref name="version"/>.</summary>
    public static TableEntity Listing(string runId, RunState state, long version) => new(Partition(runId), ListKey(runId, state.RequestedAt))
    {
        ["Version"] = version,
        ["RunId"] = runId,
        ["Pipeline"] = state.Pipeline,
        ["Status"] = state.Status.ToSnakeCase(),
        ["Trigger"] = state.Trigger,
        ["RequestedAt"] = state.RequestedAt,
        ["StartedAt"] = state.StartedAt,
        ["EndedAt"] = state.EndedAt,
        ["Waiting"] = state.IsWaiting,
    };

    public static TableEntity Active(string runId, RunState state, DateTimeOffset since) => new(Partition(runId), ActiveKey(runId))
    {
        ["RunId"] = runId,
        ["Pipeline"] = state.Pipeline,
        ["Status"] = state.Status.ToSnakeCase(),
        ["ListKey"] = ListKey(runId, state.RequestedAt),
        ["Since"] = since,
        ["Waiting"] = state.IsWaiting,
    };

    public static RunSummary ReadListing(TableEntity entity) => new(
        entity.GetString("RunId"), entity.GetString("Pipeline"), ParseStatus(entity.GetString("Status")), entity.GetString("Trigger"),
        entity.GetDateTimeOffset("RequestedAt") ?? DateTimeOffset.MinValue, entity.GetDateTimeOffset("StartedAt"), entity.GetDateTimeOffset("EndedAt"),
        entity.GetBoolean("Waiting") == true);

    public static string CheckpointKey(string pipeline, string name) => $"{TableKeys.Escape(pipeline)}|{TableKeys.Escape(name)}";

    public static RunStatus ParseStatus(string text) => Enum.Parse<RunStatus>(text.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);
}

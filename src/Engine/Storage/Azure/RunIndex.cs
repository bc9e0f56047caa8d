using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The entities of the index table: what needs a look across runs, which a per-run partition cannot answer.
/// <list type="bullet">
/// <item>Partition <c>runs</c>: a listing row per run, newest first (<c>list|{inverted time}|{run}</c>), and an
/// <c>active|{run}</c> row per unfinished run, which the sweeper walks. Both are updated after the run's commit; the
/// sweeper repairs them when a process died in between.</item>
/// <item><c>keys</c>: idempotency keys, inserted before the run so that a second request finds the first.</item>
/// <item><c>plans</c>: pinned plans by hash. <c>slots</c>: the runs holding a pipeline's concurrency slots.
/// <c>checkpoints</c>: watermarks by pipeline and name. <c>poison</c>: messages no worker could read.
/// <c>schedules</c>: each schedule's mark by pipeline and schedule, replaced under its ETag.</item>
/// </list>
/// </summary>
internal static class RunIndex
{
    public const string Runs = "runs";
    public const string ListPrefix = "list|";
    public const string ActivePrefix = "active|";
    public const string Keys = "keys";
    public const string Plans = "plans";
    public const string Slots = "slots";
    public const string Checkpoints = "checkpoints";
    public const string Poison = "poison";
    public const string Schedules = "schedules";

    public static string ListKey(string runId, DateTimeOffset requestedAt) =>
        $"{ListPrefix}{TableKeys.Number(DateTimeOffset.MaxValue.UtcTicks - requestedAt.UtcTicks)}|{TableKeys.Escape(runId)}";

    public static string ActiveKey(string runId) => ActivePrefix + TableKeys.Escape(runId);

    public static TableEntity Listing(string runId, RunState state) => new(Runs, ListKey(runId, state.RequestedAt))
    {
        ["RunId"] = runId,
        ["Pipeline"] = state.Pipeline,
        ["Status"] = state.Status.ToSnakeCase(),
        ["Trigger"] = state.Trigger,
        ["RequestedAt"] = state.RequestedAt,
        ["StartedAt"] = state.StartedAt,
        ["EndedAt"] = state.EndedAt,
    };

    public static TableEntity Active(string runId, RunState state, DateTimeOffset since) => new(Runs, ActiveKey(runId))
    {
        ["RunId"] = runId,
        ["Pipeline"] = state.Pipeline,
        ["Status"] = state.Status.ToSnakeCase(),
        ["ListKey"] = ListKey(runId, state.RequestedAt),
        ["Since"] = since,
    };

    public static RunSummary ReadListing(TableEntity entity) => new(
        entity.GetString("RunId"), entity.GetString("Pipeline"), ParseStatus(entity.GetString("Status")), entity.GetString("Trigger"),
        entity.GetDateTimeOffset("RequestedAt") ?? DateTimeOffset.MinValue, entity.GetDateTimeOffset("StartedAt"), entity.GetDateTimeOffset("EndedAt"));

    public static string CheckpointKey(string pipeline, string name) => $"{TableKeys.Escape(pipeline)}|{TableKeys.Escape(name)}";

    public static RunStatus ParseStatus(string text) => Enum.Parse<RunStatus>(text.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);
}

namespace Duraflow.Engine.Runs;

/// <summary>Where one block (or one fan-out item of a block) is within a run. A user contract (architecture §3).</summary>
internal enum BlockStatus
{
    /// <summary>Waiting for its upstream blocks.</summary>
    Pending,

    /// <summary>Handed to the workers; not started yet.</summary>
    Scheduled,

    /// <summary>A worker is running it.</summary>
    Running,

    /// <summary>Finished and its output is stored.</summary>
    Succeeded,

    /// <summary>Failed, with no attempts left or with a failure that retrying cannot fix.</summary>
    Failed,

    /// <summary>An attempt failed; the next one starts when its retry timer fires.</summary>
    Retrying,

    /// <summary>Its <c>when</c> was false, or an upstream block was skipped.</summary>
    Skipped,

    /// <summary>The run was cancelled before or while it ran.</summary>
    Cancelled,

    /// <summary>Its output was reused from the cache.</summary>
    Cached,

    /// <summary>Not run because a block it depends on failed.</summary>
    UpstreamFailed,
}

/// <summary>Questions the engine asks about statuses.</summary>
internal static class StatusFacts
{
    /// <summary>True when the block will not change again in this round of the run.</summary>
    public static bool IsTerminal(this BlockStatus status) =>
        status is BlockStatus.Succeeded or BlockStatus.Failed or BlockStatus.Skipped or BlockStatus.Cancelled
            or BlockStatus.Cached or BlockStatus.UpstreamFailed;

    /// <summary>True when downstream blocks may use the block's output.</summary>
    public static bool HasOutput(this BlockStatus status) => status is BlockStatus.Succeeded or BlockStatus.Cached;

    /// <summary>True when the run has ended.</summary>
    public static bool IsTerminal(this RunStatus status) =>
        status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled;

    /// <summary>The status as users write it: <c>upstream_failed</c>, <c>running</c>.</summary>
    public static string ToSnakeCase(this BlockStatus status) => status == BlockStatus.UpstreamFailed
        ? "upstream_failed"
        : status.ToString().ToLowerInvariant();

    /// <summary>The status as users write it.</summary>
    public static string ToSnakeCase(this RunStatus status) => status.ToString().ToLowerInvariant();
}

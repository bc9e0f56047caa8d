namespace Duraflow.Engine.Runs;

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

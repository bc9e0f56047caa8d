using Duraflow.Blocks.Catalog;

namespace Duraflow.Engine.Runs;

/// <summary>
/// The decider's part for blocks that run another pipeline (<c>uses: pipeline:NAME</c>): which child's end a run
/// accepts, what it makes of the block, and the commands that tie parent and child together (a child's end reported to
/// its parent, a cancelled parent's children cancelled). Pure, like the rest of the decider.
/// </summary>
internal static class ChildRunDecisions
{
    /// <summary>
    /// Null when the run takes <paramref name="ended"/>: the attempt that started the child is still the block's, and
    /// waits for it, or has not yet been recorded as waiting (a quick child can end before its parent's worker reports
    /// the wait; that late report is refused then, as the block has ended).
    /// </summary>
    public static string? Check(RunPlan plan, RunState state, ChildRunEnded ended) =>
        state.Status == RunStatus.Running
        && RunsPipeline(plan, ended.Key)
        && state.Blocks.TryGetValue(ended.Key, out var block)
        && block.Attempt == ended.Attempt
        && (block is { Status: BlockStatus.Waiting, WaitingFor: WaitKinds.Pipeline } && block.Child == ended.Child
            || block.Status is BlockStatus.Scheduled or BlockStatus.Running)
            ? null
            : $"{ended.Key} attempt {ended.Attempt} does not wait for child run {ended.Child}";

    /// <summary>True when <paramref name="key"/> is a block that runs another pipeline.</summary>
    public static bool RunsPipeline(RunPlan plan, string key) =>
        plan.Contains(InstanceKeys.Parse(key).Block) && plan.Block(InstanceKeys.Parse(key).Block).Uses.Kind == BlockKind.Pipeline;

    /// <summary>
    /// The child ended: its output is the block's; a failed child fails the block as a retryable failure (a retry
    /// starts a new child), a child cancelled by someone else fails it for good.
    /// </summary>
    public static void Ended(ChildRunEnded ended, Action<RunEvent> apply) => apply(ended.Status switch
    {
        RunStatus.Succeeded => new BlockSucceeded(ended.At, ended.Key, ended.Attempt, ended.Output ?? OutputReference.Inline("null")),
        RunStatus.Cancelled => new BlockFailed(ended.At, ended.Key, ended.Attempt, $"child run {ended.Child} was cancelled{Why(ended)}", Retryable: false),
        _ => new BlockFailed(ended.At, ended.Key, ended.Attempt, $"child run {ended.Child} failed{Why(ended)}", Retryable: true),
    });

    /// <summary>The commands an event of this run makes for its parent or its children.</summary>
    public static RunCommand? CommandFor(RunPlan plan, RunState state, RunEvent e) => e switch
    {
        RunCompleted completed when state.Parent is { } parent => new NotifyParent(parent, new ChildRunEnded(
            completed.At, parent.Key, parent.Attempt, state.RunId, completed.Status,
            completed.Status == RunStatus.Succeeded && plan.Output is { } output ? state.Block(output).Output : null, completed.Error)),
        BlockCancelled cancelled when RunsPipeline(plan, cancelled.Key) && state.Block(cancelled.Key).Child is { } child =>
            new CancelChildRun(child, $"its parent run {state.RunId} was cancelled"),
        _ => null,
    };

    private static string Why(ChildRunEnded ended) => ended.Error is { Length: > 0 } error ? $": {error}" : "";
}

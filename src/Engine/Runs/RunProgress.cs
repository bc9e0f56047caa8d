namespace Duraflow.Engine.Runs;

/// <summary>
/// Works out what follows from a run's state: which pending blocks are ready, skipped or blocked by a failure, and
/// whether the run has ended. One pass in topological order is enough, because every consequence flows downstream.
/// </summary>
internal static class RunProgress
{
    private enum Verdict
    {
        Wait,
        Ready,
        Skip,
        UpstreamFailed,
    }

    public static void Advance(RunPlan plan, RunState state, DateTimeOffset at, Action<RunEvent> apply)
    {
        if (state.Status == RunStatus.Running)
        {
            foreach (var block in plan.Blocks)
            {
                if (block.MappedOver is { } fanOut && state.Block(block.Name).Items is { } items)
                {
                    for (var i = 0; i < items; i++)
                    {
                        Consider(plan, state, block, InstanceKeys.Of(block.Name, i), fanOut, i, at, apply);
                    }
                }
                else
                {
                    Consider(plan, state, block, block.Name, fanOut: null, index: null, at, apply);
                }
            }

            if (plan.Blocks.All(b => state.Block(b.Name).Status.IsTerminal()))
            {
                var failed = FirstFailure(plan, state);
                apply(new RunCompleted(at, failed is null ? RunStatus.Succeeded : RunStatus.Failed, failed));
            }
        }
        else if (state.Status == RunStatus.Cancelling && !state.Blocks.Values.Any(b => b.Status == BlockStatus.Running))
        {
            apply(new RunCompleted(at, state.TimedOut ? RunStatus.Failed : RunStatus.Cancelled, state.Error));
        }
    }

    private static void Consider(
        RunPlan plan, RunState state, BlockPlan block, string key, string? fanOut, int? index, DateTimeOffset at, Action<RunEvent> apply)
    {
        var current = state.Block(key);
        if (current.Status != BlockStatus.Pending)
        {
            return;
        }

        var (verdict, upstream) = Judge(plan, state, block, fanOut, index);
        switch (verdict)
        {
            case Verdict.Ready when block.MappedOver is not null && index is null:
                // The fan-out block has no items yet (it is skipped or still running); nothing to schedule.
                break;
            case Verdict.Ready:
                apply(new BlockScheduled(at, key, current.Attempt + 1));
                break;
            case Verdict.Skip:
                apply(new BlockSkipped(at, key, $"upstream block {upstream} was skipped"));
                break;
            case Verdict.UpstreamFailed:
                apply(new BlockUpstreamFailed(at, key, upstream!));
                break;
        }
    }

    /// <summary>
    /// Ready when every upstream block has output; blocked when one failed; skipped when one was skipped and the block
    /// has no <c>when</c> of its own. An item of a mapped block reads the same item of blocks mapped over the same fan-out.
    /// </summary>
    private static (Verdict, string?) Judge(RunPlan plan, RunState state, BlockPlan block, string? fanOut, int? index)
    {
        var waiting = false;
        string? skipped = null;
        foreach (var name in block.Upstream)
        {
            var sameItem = index is not null && name != fanOut && plan.Block(name).MappedOver == fanOut;
            var upstream = state.Block(sameItem ? InstanceKeys.Of(name, index) : name);
            switch (upstream.Status)
            {
                case BlockStatus.Failed or BlockStatus.UpstreamFailed or BlockStatus.Cancelled:
                    return (Verdict.UpstreamFailed, name);
                case BlockStatus.Skipped:
                    skipped ??= name;
                    break;
                case BlockStatus.Succeeded or BlockStatus.Cached:
                    break;
                default:
                    waiting = true;
                    break;
            }
        }

        if (waiting)
        {
            return (Verdict.Wait, null);
        }

        var mappedOverSkipped = block.MappedOver is { } source && index is null && state.Block(source).Status == BlockStatus.Skipped;
        return skipped is not null && (block.SkipsWithUpstream || mappedOverSkipped)
            ? (Verdict.Skip, skipped)
            : (Verdict.Ready, null);
    }

    private static string? FirstFailure(RunPlan plan, RunState state)
    {
        foreach (var block in plan.Blocks)
        {
            var summary = state.Block(block.Name);
            if (summary.Status is BlockStatus.Failed or BlockStatus.Cancelled)
            {
                var failedItem = Enumerable.Range(0, summary.Items ?? 0)
                    .Select(i => InstanceKeys.Of(block.Name, i))
                    .FirstOrDefault(k => state.Block(k).Status == BlockStatus.Failed);
                var key = failedItem ?? block.Name;
                return $"block {key} {state.Block(key).Status.ToSnakeCase()}: {state.Block(key).Error ?? "no reason recorded"}";
            }
        }

        return plan.Blocks.Any(b => state.Block(b.Name).Status == BlockStatus.UpstreamFailed) ? "a block's upstream failed" : null;
    }
}

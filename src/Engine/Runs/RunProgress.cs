using System.Diagnostics.CodeAnalysis;

namespace Duraflow.Engine.Runs;

/// <summary>
/// Works out what follows from a run's state: which pending blocks are ready, skipped or blocked by a failure, and
/// whether the run has ended.
/// </summary>
/// <remarks>
/// A pending block's verdict depends only on its upstream blocks, so after a block's change only the blocks downstream
/// of it can have a new verdict: those are the ones considered, in plan order (upstream first), and each consequence
/// (a skip, an upstream failure) adds its own downstream blocks. The cost of a decision follows what changed, not the
/// size of the run; a run-level change (the run starting) considers every block.
/// <para>
/// After every decision of a running run, no pending block has a failed, upstream-failed or cancelled upstream block:
/// the decision that failed it also considered the blocks downstream. So a block considered because an upstream
/// block moved on, not because one failed, may stop judging at its first unfinished upstream block; that keeps a join
/// after a wide fan-out from reading every branch on every report.
/// </para>
/// </remarks>
internal static class RunProgress
{
    private enum Verdict
    {
        Wait,
        Ready,
        Skip,
        UpstreamFailed,
    }

    /// <summary>Applies what follows from <paramref name="changes"/>, the events just applied to <paramref name="state"/>.</summary>
    public static void Advance(RunPlan plan, RunState state, DateTimeOffset at, IReadOnlyList<RunEvent> changes, Action<RunEvent> apply)
    {
        if (state.Status == RunStatus.Running)
        {
            var candidates = new Candidates(plan, state);
            if (changes.All(e => BlockKey(e) is not null))
            {
                foreach (var change in changes)
                {
                    candidates.AddAfter(change);
                }
            }
            else
            {
                candidates.AddEveryBlock();
            }

            while (candidates.TryTakeFirst(out var block, out var index, out var fullScan))
            {
                var key = InstanceKeys.Of(block.Name, index);
                Consider(plan, state, block, key, block.MappedOver, index, fullScan, at, e =>
                {
                    apply(e);
                    candidates.AddAfter(e);
                });
            }

            if (AllEnded(plan, state))
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

    /// <summary>The block or item an event is about, or null for an event about the whole run.</summary>
    internal static string? BlockKey(RunEvent e) => e switch
    {
        BlockScheduled s => s.Key,
        BlockStarted s => s.Key,
        BlockSucceeded s => s.Key,
        BlockFailed f => f.Key,
        BlockRetrying r => r.Key,
        RetryTimerFired t => t.Key,
        BlockUntilFalse u => u.Key,
        BlockWaiting w => w.Key,
        WaitTimerFired w => w.Key,
        BlockSignalled s => s.Key,
        ChildRunEnded c => c.Key,
        BlockSkipped s => s.Key,
        BlockUpstreamFailed u => u.Key,
        BlockCancelled c => c.Key,
        _ => null,
    };

    // Sinks stand last in plan order and are the last to end, so looking from the end usually stops at the first block.
    private static bool AllEnded(RunPlan plan, RunState state)
    {
        for (var i = plan.Blocks.Count - 1; i >= 0; i--)
        {
            if (!state.Block(plan.Blocks[i].Name).Status.IsTerminal())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The blocks and items to consider, taken in plan order. A block mapped over a fan-out is considered per item once
    /// its items exist, and as a whole before (when it can only be skipped or blocked).
    /// </summary>
    private sealed class Candidates(RunPlan plan, RunState state)
    {
        private const int WholeBlock = -1;
        private readonly SortedSet<(int Position, int Item)> _queue = [];
        private readonly HashSet<(int Position, int Item)> _afterFailure = [];
        private bool _everyBlock;

        public void AddEveryBlock()
        {
            _everyBlock = true;
            foreach (var block in plan.Blocks)
            {
                AddBlock(block, onlyItem: null, afterFailure: true);
            }
        }

        /// <summary>Adds the blocks whose verdict <paramref name="e"/> may have changed: those downstream of its block.</summary>
        public void AddAfter(RunEvent e)
        {
            if (BlockKey(e) is not { } key)
            {
                return;
            }

            var (name, index) = InstanceKeys.Parse(key);
            var failed = state.Block(key).Status is BlockStatus.Failed or BlockStatus.UpstreamFailed or BlockStatus.Cancelled
                || (index is not null && state.Block(name).Status is BlockStatus.Failed or BlockStatus.UpstreamFailed or BlockStatus.Cancelled);
            AddDownstreamOf(name, index, failed);
            if (e is BlockSucceeded { Items: not null })
            {
                // The fan-out's items settled its mapped blocks' entries (an empty fan-out ends them), whose own
                // downstream blocks read them.
                foreach (var mapped in plan.MappedOver(name))
                {
                    AddDownstreamOf(mapped.Name, index: null, failed: false);
                }
            }
        }

        /// <summary>The next candidate in plan order, and whether it must judge every upstream block (see the remarks above).</summary>
        public bool TryTakeFirst([NotNullWhen(true)] out BlockPlan? block, out int? item, out bool fullScan)
        {
            if (_queue.Count == 0)
            {
                (block, item, fullScan) = (null, null, false);
                return false;
            }

            var first = _queue.Min;
            _queue.Remove(first);
            (block, item) = (plan.Blocks[first.Position], first.Item == WholeBlock ? null : first.Item);
            fullScan = _everyBlock || _afterFailure.Contains(first);
            return true;
        }

        private void AddDownstreamOf(string name, int? index, bool failed)
        {
            var sameItemFanOut = index is null ? null : plan.Block(name).MappedOver;
            foreach (var downstream in plan.Downstream(name))
            {
                // An item reads the same item of a block mapped over the same fan-out, and every item of any other.
                var sameItem = sameItemFanOut is not null && downstream.MappedOver == sameItemFanOut;
                AddBlock(downstream, sameItem ? index : null, failed);
            }
        }

        private void AddBlock(BlockPlan block, int? onlyItem, bool afterFailure)
        {
            var position = plan.PositionOf(block.Name);
            if (block.MappedOver is null || state.Block(block.Name).Items is not { } count)
            {
                Add((position, WholeBlock), afterFailure);
            }
            else if (onlyItem is { } only)
            {
                Add((position, only), afterFailure);
            }
            else
            {
                for (var i = 0; i < count; i++)
                {
                    Add((position, i), afterFailure);
                }
            }
        }

        private void Add((int Position, int Item) candidate, bool afterFailure)
        {
            _queue.Add(candidate);
            if (afterFailure && !_everyBlock)
            {
                _afterFailure.Add(candidate);
            }
        }
    }

    private static void Consider(
        RunPlan plan, RunState state, BlockPlan block, string key, string? fanOut, int? index, bool fullScan, DateTimeOffset at, Action<RunEvent> apply)
    {
        var current = state.Block(key);
        if (current.Status != BlockStatus.Pending)
        {
            return;
        }

        var (verdict, upstream) = Judge(plan, state, block, fanOut, index, fullScan);
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
    /// Without <paramref name="fullScan"/>, no upstream block can have failed unseen (see the remarks on the class), so
    /// the first unfinished one settles it; looking from the end finds one soonest, as branches tend to end in order.
    /// </summary>
    private static (Verdict, string?) Judge(RunPlan plan, RunState state, BlockPlan block, string? fanOut, int? index, bool fullScan)
    {
        var waiting = false;
        string? skipped = null;
        var upstreamNames = block.Upstream;
        for (var i = 0; i < upstreamNames.Count; i++)
        {
            var name = upstreamNames[fullScan ? i : upstreamNames.Count - 1 - i];
            var sameItem = index is not null && name != fanOut && plan.Block(name).MappedOver == fanOut;
            var upstream = state.Block(sameItem ? InstanceKeys.Of(name, index) : name);
            switch (upstream.Status)
            {
                case BlockStatus.Failed or BlockStatus.UpstreamFailed or BlockStatus.Cancelled:
                    return (Verdict.UpstreamFailed, name);
                case BlockStatus.Skipped:
                    // Name the first skipped block in upstream order, whichever way the scan runs.
                    skipped = fullScan ? skipped ?? name : name;
                    break;
                case BlockStatus.Succeeded or BlockStatus.Cached:
                    break;
                default:
                    if (!fullScan)
                    {
                        return (Verdict.Wait, null);
                    }

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

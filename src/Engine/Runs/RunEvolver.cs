namespace Duraflow.Engine.Runs;

/// <summary>
/// <c>Evolve(state, event) → state</c>: applies one accepted fact to a run's state, in place. Pure apart from that
/// mutation: no clock, no I/O, so folding a run's events always rebuilds its snapshot.
/// </summary>
internal static class RunEvolver
{
    /// <summary>Folds <paramref name="events"/>, in order, into a new state.</summary>
    public static RunState Fold(RunPlan plan, IEnumerable<RunEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var state = new RunState();
        foreach (var e in events)
        {
            Evolve(plan, state, e);
        }

        return state;
    }

    /// <summary>Applies <paramref name="e"/> to <paramref name="state"/> and returns it.</summary>
    public static RunState Evolve(RunPlan plan, RunState state, RunEvent e)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(state);
        state.Version++;
        switch (e)
        {
            case RunRequested r:
                state.RunId = r.RunId;
                state.Pipeline = r.Pipeline;
                state.DefinitionHash = r.DefinitionHash;
                state.Trigger = r.Trigger;
                state.TriggerValues = r.TriggerValues is null ? new(StringComparer.Ordinal) : new(r.TriggerValues, StringComparer.Ordinal);
                state.Parameters = new(r.Parameters, StringComparer.Ordinal);
                state.RequestedAt = r.At;
                state.Runtime = r.Runtime;
                state.Parent = r.Parent;
                state.StartBy = r.StartBy;
                state.Status = RunStatus.Pending;
                foreach (var block in plan.Blocks)
                {
                    state.AddBlock(block.Name);
                }

                break;
            case RunStarted s:
                state.Status = RunStatus.Running;
                state.StartedAt ??= s.At;
                break;
            case BlockScheduled s:
                Update(plan, state, s.Key, b =>
                {
                    b.Status = BlockStatus.Scheduled;
                    b.Attempt = s.Attempt;
                    b.RetryAt = null;
                    StopWaiting(b);

                    // A new attempt of a block that runs a pipeline starts a new child; the last one is not its any more.
                    b.Child = null;
                });
                break;
            case BlockStarted s:
                Update(plan, state, s.Key, b =>
                {
                    b.StartedAt = b.Status == BlockStatus.Running ? b.StartedAt : s.At;
                    b.Status = BlockStatus.Running;
                });
                break;
            case BlockSucceeded s:
                Update(plan, state, s.Key, b =>
                {
                    b.Status = s.Cached ? BlockStatus.Cached : BlockStatus.Succeeded;
                    b.CachedFrom = s.CachedFrom;
                    b.Output = s.Output;
                    b.Items = s.Items;
                    b.Metrics = s.Metrics;
                    b.Error = null;
                    b.EndedAt = s.At;
                    StopWaiting(b);
                    StopLimitWait(b);
                });
                if (s.Items is { } items)
                {
                    Expand(plan, state, s.Key, items, s.At);
                }

                if (s.Checkpoints is { Count: > 0 } checkpoints)
                {
                    state.StagedCheckpoints ??= new Dictionary<string, StagedCheckpoint>(StringComparer.Ordinal);
                    foreach (var (name, value) in checkpoints)
                    {
                        state.StagedCheckpoints[name] = new StagedCheckpoint(value, s.At);
                    }
                }

                break;
            case BlockFailed f:
                Update(plan, state, f.Key, b =>
                {
                    b.Status = BlockStatus.Failed;
                    b.Error = f.Error;
                    b.EndedAt = f.At;
                    StopWaiting(b);
                    StopLimitWait(b);
                });
                break;
            case BlockRetrying r:
                Update(plan, state, r.Key, b =>
                {
                    b.Status = BlockStatus.Retrying;
                    b.RetryAt = r.DueAt;
                    b.EndedAt = null;
                });
                break;
            case BlockSkipped s:
                Update(plan, state, s.Key, b => End(b, BlockStatus.Skipped, s.Reason, s.At));
                break;
            case BlockUpstreamFailed u:
                Update(plan, state, u.Key, b => End(b, BlockStatus.UpstreamFailed, $"upstream block {u.Upstream} failed", u.At));
                break;
            case BlockCancelled c:
                Update(plan, state, c.Key, b => End(b, BlockStatus.Cancelled, b.Error, c.At));
                break;
            case CancelRequested c:
                state.Status = RunStatus.Cancelling;
                state.Error = $"cancelled: {c.Reason}";
                break;
            case SlaMissed sla:
                state.SlasMissed = state.SlasMissed.Add(sla.Subject);
                break;
            case RunTimedOut:
                state.Status = RunStatus.Cancelling;
                state.TimedOut = true;
                state.Error = $"the run timed out after {Duration.Format(plan.Timeout ?? TimeSpan.Zero)} (pipeline timeout)";
                break;
            case RunRetryRequested r:
                if (r.DefinitionHash is { } hash)
                {
                    Refresh(plan, state, hash, r.Rerun ?? []);
                }

                Reopen(plan, state);
                break;
            case RunCompleted c:
                state.Status = c.Status;
                state.Error = c.Error;
                state.EndedAt = c.At;
                break;
            case RetryTimerFired:
                break;
            case BlockUntilFalse u:
                Update(plan, state, u.Key, b =>
                {
                    b.Output = u.Output;
                    b.Metrics = u.Metrics;
                    b.Repeats++;
                });
                break;
            case BlockWaiting w:
                Update(plan, state, w.Key, b =>
                {
                    b.Status = BlockStatus.Waiting;
                    b.WaitingFor = w.For;

                    // A limit's wait is one wait however many times the block asks: it is shown since the first ask.
                    b.LimitSince = w.For == WaitKinds.Limit ? b.LimitSince ?? w.At : null;
                    b.LimitWaits = w.For == WaitKinds.Limit ? b.LimitWaits + 1 : 0;
                    b.WaitingSince = b.LimitSince ?? w.At;
                    b.WaitUntil = w.Until;
                    b.Signal = w.Signal;
                    b.SkipOnTimeout = w.SkipOnTimeout;
                    b.Limit = w.Limit;
                    b.Child = w.Child ?? b.Child;
                    b.EndedAt = null;
                });
                break;
            case SignalReceived s:
                state.Signals = state.Signals.Add(new ReceivedSignal(s.Name, s.Data, s.At, s.SignalKey, s.By));
                break;
            case BlockSignalled s:
                // Its data lives on in the block's output (or failure); the run keeps who sent it and who took it.
                state.Signals = state.Signals.SetItem(s.Signal, state.Signals[s.Signal] with { TakenBy = s.Key, Data = null });
                break;
            case WaitTimerFired w when state.Block(w.Key).WaitingFor == WaitKinds.Limit:
                // The attempt that found the limit at its bound ran no code: it does not count against the retries.
                Update(plan, state, w.Key, b => b.FirstAttemptOfRound++);
                break;
            case WaitTimerFired w when plan.Block(InstanceKeys.Parse(w.Key).Block).Repeat is not null:
                // The next run of a repeat gets the whole retry policy again: a poll that fails is retried on its own.
                Update(plan, state, w.Key, b => b.FirstAttemptOfRound = w.Attempt + 1);
                break;
            case ChildRunEnded c:
                Update(plan, state, c.Key, b => b.Child = c.Child);
                break;
            case WaitTimerFired:
                break;
            default:
                throw new ArgumentException($"unknown run event {e.GetType().Name}", nameof(e));
        }

        return state;
    }

    private static void End(BlockRunState block, BlockStatus status, string? reason, DateTimeOffset at)
    {
        block.Status = status;
        block.Error = reason;
        block.EndedAt = at;
        block.RetryAt = null;
        StopWaiting(block);
        StopLimitWait(block);
    }

    // Kept across a limit's asks (each a new attempt), dropped once the block ran or ended.
    private static void StopLimitWait(BlockRunState block)
    {
        block.LimitWaits = 0;
        block.LimitSince = null;
    }

    private static void StopWaiting(BlockRunState block)
    {
        block.WaitingFor = null;
        block.WaitingSince = null;
        block.WaitUntil = null;
        block.Signal = null;
        block.SkipOnTimeout = false;
        block.Limit = null;
    }

    private static void Update(RunPlan plan, RunState state, string key, Action<BlockRunState> change)
    {
        var block = state.Edit(key);
        var before = ItemFacts.Of(block);
        var wasWaiting = block.Status == BlockStatus.Waiting;
        change(block);
        var (name, index) = InstanceKeys.Parse(key);

        // Counted over blocks and items, never over the summary of a block that runs per item (its items count).
        if (index is not null || !plan.Contains(name) || plan.Block(name).MappedOver is null)
        {
            var waits = block.Status == BlockStatus.Waiting;
            state.WaitingBlocks = Math.Max(0, state.WaitingBlocks + (waits ? 1 : 0) - (wasWaiting ? 1 : 0));
        }

        if (index is { } item)
        {
            Summarize(state, name, item, before, block);
        }
    }

    // A mapped block's summary over new items: all pending, none tried yet, as a pass over them would say.
    private static void Restart(BlockRunState summary, int items)
    {
        summary.Items = items;
        summary.Tally = ItemTally.AllPending(items);
        summary.Attempt = 0;
        summary.StartedAt = null;
        summary.Error = null;
    }

    /// <summary>The fan-out block produced its items: each block mapped over it gets one pending instance per item.</summary>
    private static void Expand(RunPlan plan, RunState state, string fanOut, int items, DateTimeOffset at)
    {
        foreach (var mapped in plan.MappedOver(fanOut))
        {
            var summary = state.Edit(mapped.Name);
            Restart(summary, items);
            for (var i = 0; i < items; i++)
            {
                state.AddBlock(InstanceKeys.Of(mapped.Name, i));
            }

            if (items == 0)
            {
                End(summary, BlockStatus.Succeeded, null, at);
            }
        }
    }

    /// <summary>
    /// Item <paramref name="index"/> of mapped block <paramref name="name"/> changed from <paramref name="before"/>:
    /// the block's summary follows from its tally, without visiting the other items, and says what a pass over them
    /// all would (the one pass left is the last, for the finished block's end time).
    /// </summary>
    private static void Summarize(RunState state, string name, int index, ItemFacts before, BlockRunState item)
    {
        var summary = state.Edit(name);
        if (summary.Tally is not { } tally)
        {
            Summarize(state, name);
            return;
        }

        tally.Move(index, before, item);
        if (tally.Unfinished == 0)
        {
            // The tally is exact already; the pass is only for the block's attempt and end time.
            Summarize(state, name, tally);
            return;
        }

        // Attempts only grow while a tally lives (a fan-out's expansion starts one over items at attempt 0).
        summary.Attempt = Math.Max(summary.Attempt, item.Attempt);
        summary.StartedAt = tally.FirstStart;
        summary.Error = tally.Failing.IsEmpty ? null : state.Block(InstanceKeys.Of(name, tally.Failing.Min)).Error;
        summary.Status = Unfinished(tally);
        summary.EndedAt = null;
    }

    /// <summary>
    /// A block mapped over a fan-out shows the state of its items taken together: one pass over them all, which also
    /// sums them up unless <paramref name="tally"/> (kept exact as they changed) already has.
    /// </summary>
    private static void Summarize(RunState state, string name, ItemTally? tally = null)
    {
        var summary = state.Edit(name);
        var items = Items(state, name, summary.Items ?? 0);
        tally = summary.Tally = tally ?? ItemTally.Of(items);
        summary.Attempt = items.Count == 0 ? 0 : items.Max(i => i.Attempt);
        summary.StartedAt = tally.FirstStart;
        summary.Error = tally.Failing.IsEmpty ? null : items[tally.Failing.Min].Error;
        if (tally.Unfinished > 0)
        {
            summary.Status = Unfinished(tally);
            summary.EndedAt = null;
            return;
        }

        summary.Status = tally.Count(BlockStatus.Failed) > 0 ? BlockStatus.Failed
            : tally.Count(BlockStatus.UpstreamFailed) > 0 ? BlockStatus.UpstreamFailed
            : tally.Count(BlockStatus.Cancelled) > 0 ? BlockStatus.Cancelled
            : tally.Count(BlockStatus.Skipped) == items.Count ? BlockStatus.Skipped
            : tally.Count(BlockStatus.Cached) == items.Count ? BlockStatus.Cached
            : BlockStatus.Succeeded;
        summary.EndedAt = items.Max(i => i.EndedAt);
    }

    private static BlockStatus Unfinished(ItemTally tally) =>
        tally.Count(BlockStatus.Running) > 0 ? BlockStatus.Running
        : tally.Count(BlockStatus.Waiting) > 0 ? BlockStatus.Waiting
        : tally.Count(BlockStatus.Retrying) > 0 ? BlockStatus.Retrying
        : tally.Count(BlockStatus.Scheduled) > 0 ? BlockStatus.Scheduled
        : BlockStatus.Pending;

    private static List<BlockRunState> Items(RunState state, string name, int count)
    {
        var items = new List<BlockRunState>(count);
        for (var i = 0; i < count; i++)
        {
            items.Add(state.Block(InstanceKeys.Of(name, i)));
        }

        return items;
    }

    /// <summary>
    /// A retried run keeps what succeeded and reopens the rest: failed, cancelled and upstream-failed blocks go back to
    /// pending with a fresh retry budget; items of a fan-out that must run again are dropped and recreated later.
    /// </summary>
    // Switches the run to the refreshed plan (the one deciding this event): blocks it no longer has go, new ones come
    // in pending, and the blocks to rerun lose their outputs and items as if they had never run in this round.
    private static void Refresh(RunPlan plan, RunState state, string hash, IReadOnlyList<string> rerun)
    {
        state.DefinitionHash = hash;
        foreach (var key in state.Blocks.Keys.Where(k => !plan.Contains(InstanceKeys.Parse(k).Block)).ToList())
        {
            state.RemoveBlock(key);
        }

        foreach (var block in plan.Blocks.Where(b => !state.Blocks.ContainsKey(b.Name)))
        {
            state.AddBlock(block.Name);
        }

        foreach (var name in rerun.Where(plan.Contains))
        {
            var block = state.Edit(name);
            for (var i = 0; i < (block.Items ?? 0); i++)
            {
                state.RemoveBlock(InstanceKeys.Of(name, i));
            }

            if (block.Status != BlockStatus.Pending)
            {
                block.FirstAttemptOfRound = block.Attempt + 1;
            }

            block.Status = BlockStatus.Pending;
            block.Output = null;
            block.CachedFrom = null;
            block.Items = null;
            block.Tally = null;
            block.Metrics = null;
            block.Error = null;
            block.StartedAt = null;
            block.EndedAt = null;
            block.RetryAt = null;
            block.Repeats = 0;
            StopWaiting(block);

            // A block mapped over a fan-out that keeps its output gets its items again now; the fan-out will not
            // succeed again to make them.
            if (plan.Block(name).MappedOver is { } fanOut && state.Blocks.ContainsKey(fanOut)
                && state.Block(fanOut) is { Items: { } items } source && source.Status.HasOutput())
            {
                Restart(block, items);
                for (var i = 0; i < items; i++)
                {
                    state.AddBlock(InstanceKeys.Of(name, i));
                }
            }
        }
    }

    private static void Reopen(RunPlan plan, RunState state)
    {
        state.Round++;

        // Every waiting block goes back to pending below.
        state.WaitingBlocks = 0;
        state.Status = RunStatus.Pending;
        state.Error = null;
        state.EndedAt = null;
        state.TimedOut = false;

        // Each round has its SLAs anew (the old round's timers are refused by their round); a retry is never "started
        // late" for its schedule, which was about the first round.
        state.SlasMissed = [];
        foreach (var block in plan.Blocks)
        {
            if (block.MappedOver is { } fanOut && !state.Block(fanOut).Status.HasOutput())
            {
                var summary = state.Edit(block.Name);
                for (var i = 0; i < (summary.Items ?? 0); i++)
                {
                    state.RemoveBlock(InstanceKeys.Of(block.Name, i));
                }

                summary.Items = null;
                summary.Tally = null;
            }
        }

        var reopened = state.Blocks
            .Where(b => b.Value.Status is BlockStatus.Failed or BlockStatus.Cancelled or BlockStatus.UpstreamFailed
                or BlockStatus.Scheduled or BlockStatus.Running or BlockStatus.Retrying or BlockStatus.Waiting)
            .Select(b => b.Key)
            .ToList();
        foreach (var key in reopened)
        {
            var block = state.Edit(key);
            block.Status = BlockStatus.Pending;
            block.FirstAttemptOfRound = block.Attempt + 1;
            block.Error = null;
            block.EndedAt = null;
            block.RetryAt = null;
            block.Repeats = 0;
            StopWaiting(block);
            StopLimitWait(block);
        }

        foreach (var block in plan.Blocks.Where(b => b.MappedOver is not null && state.Block(b.Name).Items is not null))
        {
            Summarize(state, block.Name);
        }
    }
}

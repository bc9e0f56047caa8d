namespace Duraflow.Engine.Runs;

/// <summary>
/// Which reported facts a run accepts in its current state. Everything else is a duplicate, a stale attempt or a
/// message for a finished run, and is dropped without changing anything: this is what makes at-least-once delivery
/// safe.
/// </summary>
internal static class RunInputRules
{
    /// <summary>Null when <paramref name="input"/> is accepted; otherwise why not.</summary>
    public static string? Check(RunPlan plan, RunState state, RunEvent input)
    {
        var exists = state.RunId.Length > 0;
        if (input is RunRequested)
        {
            return exists ? "the run already exists" : null;
        }

        if (!exists)
        {
            return "the run does not exist";
        }

        return input switch
        {
            RunStarted => state.Status == RunStatus.Pending ? null : $"the run is {state.Status.ToSnakeCase()}, not pending",
            BlockStarted s => CheckAttempt(state, s.Key, s.Attempt, allowCancelling: false),
            BlockSucceeded s => CheckFanOut(plan, s) ?? CheckAttempt(state, s.Key, s.Attempt, allowCancelling: true),
            BlockFailed f => CheckAttempt(state, f.Key, f.Attempt, allowCancelling: true),
            BlockSkipped { Attempt: > 0 } s => CheckAttempt(state, s.Key, s.Attempt, allowCancelling: true),
            BlockCancelled { Attempt: > 0 } c => CheckAttempt(state, c.Key, c.Attempt, allowCancelling: true),
            RetryTimerFired t => CheckTimer(state, t),
            BlockUntilFalse u => CheckRepeat(plan, u.Key) ?? CheckAttempt(state, u.Key, u.Attempt, allowCancelling: true),
            BlockWaiting { For: WaitKinds.Limit } w => CheckAttempt(state, w.Key, w.Attempt, allowCancelling: true),
            BlockWaiting { For: WaitKinds.Pipeline } w => (ChildRunDecisions.RunsPipeline(plan, w.Key) ? null : $"{w.Key} runs no pipeline")
                ?? CheckAttempt(state, w.Key, w.Attempt, allowCancelling: true),
            ChildRunEnded c => ChildRunDecisions.Check(plan, state, c),
            BlockWaiting w => CheckWaitBlock(plan, w.Key) ?? CheckAttempt(state, w.Key, w.Attempt, allowCancelling: true),
            WaitTimerFired w => CheckWaitTimer(state, w),
            SignalReceived s => SignalDelivery.Check(state, s),
            CancelRequested => state.Status is RunStatus.Pending or RunStatus.Running ? null : $"the run is already {state.Status.ToSnakeCase()}",
            RunTimedOut t => state.Status == RunStatus.Running && t.Round == state.Round ? null : "the timer belongs to a finished round",
            SlaMissed s => CheckSla(state, s),
            RunRetryRequested { RefreshedFrom: { } from } when from != state.DefinitionHash =>
                "the run's definition was refreshed by another retry meanwhile; retry again",
            RunRetryRequested => state.Status is RunStatus.Failed or RunStatus.Cancelled
                ? null
                : $"only a failed or cancelled run can be retried; this one is {state.Status.ToSnakeCase()}",
            _ => $"{input.GetType().Name} is decided by the engine, not reported to it",
        };
    }

    private static string? CheckAttempt(RunState state, string key, int attempt, bool allowCancelling)
    {
        if (state.Status != RunStatus.Running && !(allowCancelling && state.Status == RunStatus.Cancelling))
        {
            return $"the run is {state.Status.ToSnakeCase()}";
        }

        if (!state.Blocks.TryGetValue(key, out var block))
        {
            return $"the run has no block '{key}'";
        }

        if (block.Status is not (BlockStatus.Scheduled or BlockStatus.Running) || block.Attempt != attempt)
        {
            return $"{key} attempt {attempt} is not in flight ({key} is {block.Status.ToSnakeCase()} at attempt {block.Attempt})";
        }

        return null;
    }

    private static string? CheckFanOut(RunPlan plan, BlockSucceeded succeeded)
    {
        var (name, index) = InstanceKeys.Parse(succeeded.Key);
        if (!plan.Contains(name))
        {
            return $"the run has no block '{name}'";
        }

        var fanOut = plan.Block(name).FanOut && index is null;
        return fanOut == (succeeded.Items is not null)
            ? null
            : fanOut ? $"fan-out block {name} must report how many items it produced" : $"{succeeded.Key} is not a fan-out block";
    }

    private static string? CheckRepeat(RunPlan plan, string key) =>
        plan.Contains(InstanceKeys.Parse(key).Block) && plan.Block(InstanceKeys.Parse(key).Block).Repeat is not null
            ? null
            : $"{key} has no 'repeat'";

    // Only a wait block reports a wait; a repeat's waits are decided.
    private static string? CheckWaitBlock(RunPlan plan, string key) =>
        plan.Contains(InstanceKeys.Parse(key).Block) && plan.Block(InstanceKeys.Parse(key).Block).Uses.IsWait
            ? null
            : $"{key} is not a wait block";

    private static string? CheckWaitTimer(RunState state, WaitTimerFired fired) =>
        state.Status == RunStatus.Running
        && state.Blocks.TryGetValue(fired.Key, out var block)
        && block.Status == BlockStatus.Waiting
        && block.Attempt == fired.Attempt
        && block.WaitUntil is not null
            ? null
            : $"{fired.Key} attempt {fired.Attempt} is not waiting";

    private static string? CheckTimer(RunState state, RetryTimerFired fired) =>
        state.Status == RunStatus.Running
        && state.Blocks.TryGetValue(fired.Key, out var block)
        && block.Status == BlockStatus.Retrying
        && block.Attempt + 1 == fired.NextAttempt
            ? null
            : $"no retry of {fired.Key} attempt {fired.NextAttempt} is waiting";

    // An SLA is missed once, and only while what it watches still goes on: a run not started yet (start), a run not
    // ended (run), a block not finished in the round its timer was set in.
    private static string? CheckSla(RunState state, SlaMissed sla)
    {
        if (sla.Round != state.Round || state.SlasMissed.Contains(sla.Subject))
        {
            return "the SLA's timer belongs to another round, or it was missed already";
        }

        if (sla.Start)
        {
            return state.Status == RunStatus.Pending ? null : "the run started in time";
        }

        // A run being cancelled is not late: someone stopped it.
        if (state.Status != RunStatus.Running)
        {
            return "the run ended in time, or is being cancelled";
        }

        return sla.Key is null || (state.Blocks.TryGetValue(sla.Key, out var block)
            && block.Status is BlockStatus.Scheduled or BlockStatus.Running or BlockStatus.Retrying or BlockStatus.Waiting)
            ? null
            : $"{sla.Key} finished in time";
    }
}

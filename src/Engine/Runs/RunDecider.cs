using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Runs;

/// <summary>
/// <c>Decide(state, event) → (events, commands)</c>: the whole run state machine as one pure function over the
/// pinned plan. It accepts or rejects a reported fact (duplicates and stale attempts are rejected, so redelivered
/// messages are harmless), then works out every consequence: successors to schedule, retries as durable timers,
/// skips and upstream failures to propagate, and the end of the run.
/// </summary>
internal static class RunDecider
{
    /// <summary>Decides what <paramref name="input"/> means for a run in <paramref name="state"/> (left unchanged).</summary>
    public static Decision Decide(RunPlan plan, RunState state, RunEvent input)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        if (RunInputRules.Check(plan, state, input) is { } rejection)
        {
            return Decision.Reject(state, rejection);
        }

        var working = state.Clone();
        var events = new List<RunEvent>();
        var commands = new List<RunCommand>();
        DecideInto(plan, working, input, events, commands);
        return new Decision(working, events, commands, null);
    }

    /// <summary>
    /// Decides <paramref name="input"/> on <paramref name="working"/>, changing it in place, and adds the events and
    /// commands; or, when the input is rejected, returns why and changes nothing. The copy a decision needs is made by
    /// the caller, once for however many inputs it decides in a row.
    /// </summary>
    private static string? DecideInto(RunPlan plan, RunState working, RunEvent input, List<RunEvent> events, List<RunCommand> commands)
    {
        if (RunInputRules.Check(plan, working, input) is { } rejection)
        {
            return rejection;
        }

        var added = new List<RunEvent>();
        void Apply(RunEvent e)
        {
            RunEvolver.Evolve(plan, working, e);
            added.Add(e);
        }

        Apply(input);
        switch (input)
        {
            case BlockFailed failed when failed.Retryable && working.Status == RunStatus.Running:
                RetryIfAllowed(plan, working, failed, Apply);
                break;
            case RetryTimerFired fired:
                Apply(new BlockScheduled(fired.At, fired.Key, fired.NextAttempt));
                break;
            // An attempt that ended after a cancel stopped the rest: its block stops here instead of waiting.
            case BlockUntilFalse unmet when working.Status == RunStatus.Cancelling:
                Apply(new BlockCancelled(unmet.At, unmet.Key, unmet.Attempt));
                break;
            case BlockWaiting waiting when working.Status == RunStatus.Cancelling:
                Apply(new BlockCancelled(waiting.At, waiting.Key, waiting.Attempt));
                break;
            case BlockUntilFalse unmet:
                RepeatOrEnd(plan, working, unmet, Apply);
                break;
            case BlockWaiting { Signal: not null } waiting:
                SignalDelivery.Began(working, waiting, Apply);
                break;
            case SignalReceived signal:
                SignalDelivery.Received(working, signal, Apply);
                break;
            case ChildRunEnded ended:
                // A failed child is the block's failure: its retry policy starts a new child.
                ChildRunDecisions.Ended(ended, e =>
                {
                    Apply(e);
                    if (e is BlockFailed { Retryable: true } failed)
                    {
                        RetryIfAllowed(plan, working, failed, Apply);
                    }
                });
                break;
            case WaitTimerFired fired:
                EndWait(plan, working, fired, Apply);
                break;
            case CancelRequested or RunTimedOut:
                foreach (var key in working.Blocks.Where(b => IsWaiting(b.Value.Status) && !IsSummary(plan, working, b.Key)).Select(b => b.Key).ToList())
                {
                    Apply(new BlockCancelled(input.At, key));
                }

                break;
        }

        RunProgress.Advance(plan, working, input.At, [.. added], Apply);
        events.AddRange(added);
        commands.AddRange(CommandsFor(plan, working, added));
        return null;
    }

    /// <summary>
    /// Decides <paramref name="inputs"/> in order as one decision, each on the state the inputs before it left: the
    /// events and commands are theirs, concatenated. A rejected input is skipped; the decision is accepted when any
    /// input was, and rejected with every reason when none was. A worker uses it to report a block's start and its
    /// outcome in one commit.
    /// </summary>
    public static Decision DecideAll(RunPlan plan, RunState state, IReadOnlyList<RunEvent> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfZero(inputs.Count);
        if (inputs.Count == 1)
        {
            return Decide(plan, state, inputs[0]);
        }

        var working = state.Clone();
        var events = new List<RunEvent>();
        var commands = new List<RunCommand>();
        var rejections = new List<string>();
        foreach (var input in inputs)
        {
            if (DecideInto(plan, working, input, events, commands) is { } why)
            {
                rejections.Add(why);
            }
        }

        return events.Count > 0 ? new Decision(working, events, commands, null) : Decision.Reject(state, string.Join("; ", rejections));
    }

    /// <summary>
    /// Decides several callers' inputs in order, each group on the state the groups before it left (as
    /// <see cref="DecideAll"/> does for one caller's inputs), and returns every group's own decision next to the
    /// combined one, whose events and commands are those of the accepted groups. Group commit uses it: many reports of
    /// one run decided together and committed once, each caller told whether its report was accepted.
    /// </summary>
    public static (Decision Combined, IReadOnlyList<Decision> Each) DecideEach(RunPlan plan, RunState state, IReadOnlyList<IReadOnlyList<RunEvent>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count == 1)
        {
            var only = DecideAll(plan, state, groups[0]);
            return (only, [only]);
        }

        var working = state.Clone();
        var each = new Decision[groups.Count];
        var events = new List<RunEvent>();
        var commands = new List<RunCommand>();
        for (var i = 0; i < groups.Count; i++)
        {
            var before = events.Count;
            var rejections = new List<string>();
            foreach (var input in groups[i])
            {
                if (DecideInto(plan, working, input, events, commands) is { } why)
                {
                    rejections.Add(why);
                }
            }

            // A group's own decision tells its caller whether anything of it was accepted; the commit is the combined one.
            each[i] = events.Count > before
                ? new Decision(working, events[before..], [], null)
                : Decision.Reject(state, string.Join("; ", rejections));
        }

        var combined = events.Count > 0
            ? new Decision(working, events, commands, null)
            : Decision.Reject(state, string.Join("; ", each.Select(d => d.Rejection)));
        return (combined, each);
    }

    private static bool IsWaiting(BlockStatus status) =>
        status is BlockStatus.Pending or BlockStatus.Scheduled or BlockStatus.Retrying or BlockStatus.Waiting;

    /// <summary>The entry summing up a block's fan-out items is never scheduled or cancelled itself.</summary>
    internal static bool IsSummary(RunPlan plan, RunState state, string key) =>
        !key.EndsWith(']') && plan.Contains(key) && plan.Block(key).MappedOver is not null && state.Block(key).Items is not null;

    private static void RetryIfAllowed(RunPlan plan, RunState state, BlockFailed failed, Action<RunEvent> apply)
    {
        var (name, _) = InstanceKeys.Parse(failed.Key);
        var policy = plan.Block(name).Retry;
        var block = state.Block(failed.Key);
        var attemptsUsed = failed.Attempt - block.FirstAttemptOfRound + 1;
        if (attemptsUsed >= policy.Attempts || !policy.Retries(failed.ErrorTypes, failed.Error))
        {
            return;
        }

        var delay = policy.DelayBeforeRetry(attemptsUsed, Jitter(state.RunId, failed.Key, failed.Attempt));
        apply(new BlockRetrying(failed.At, failed.Key, failed.Attempt + 1, failed.At + delay));
    }

    // A run whose output failed 'until': wait 'every' and run again, or, after the last allowed run, end as on_max says.
    private static void RepeatOrEnd(RunPlan plan, RunState state, BlockUntilFalse unmet, Action<RunEvent> apply)
    {
        var repeat = plan.Block(InstanceKeys.Parse(unmet.Key).Block).Repeat!;
        var runs = state.Block(unmet.Key).Repeats;
        if (runs < repeat.Max)
        {
            apply(new BlockWaiting(unmet.At, unmet.Key, unmet.Attempt, unmet.At + repeat.Every, WaitKinds.Repeat));
            return;
        }

        var why = $"repeat: until was still false after {runs} run{(runs == 1 ? "" : "s")} (max {repeat.Max}): {repeat.Until}";
        apply(repeat.OnMax == GiveUp.Skip
            ? new BlockSkipped(unmet.At, unmet.Key, why, unmet.Attempt)
            : new BlockFailed(unmet.At, unmet.Key, unmet.Attempt, why, Retryable: false));
    }

    // A wait block's timer ends its wait with the time as its output; a repeating block's starts its next run.
    private static void EndWait(RunPlan plan, RunState state, WaitTimerFired fired, Action<RunEvent> apply)
    {
        if (state.Block(fired.Key).Signal is not null)
        {
            SignalDelivery.TimedOut(state, fired, apply);
            return;
        }

        // A limit's wait, like a repeat's, ends in a new attempt (whose retries the evolver left untouched).
        if (state.Block(fired.Key).WaitingFor == WaitKinds.Limit)
        {
            apply(new BlockScheduled(fired.At, fired.Key, fired.Attempt + 1));
            return;
        }

        if (plan.Block(InstanceKeys.Parse(fired.Key).Block).Repeat is not null)
        {
            apply(new BlockScheduled(fired.At, fired.Key, fired.Attempt + 1));
            return;
        }

        var until = state.Block(fired.Key).WaitUntil ?? fired.At;
        var output = OutputReference.Inline(JsonSerializer.Serialize(new { until }, EngineJson.Options));
        apply(new BlockSucceeded(fired.At, fired.Key, fired.Attempt, output));
    }

    /// <summary>
    /// The jitter draw, derived from the attempt's identity instead of a random generator: the decider stays a pure
    /// function, and a redelivered failure computes the same timer.
    /// </summary>
    internal static double Jitter(string runId, string key, int attempt)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{runId}/{key}/{attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        return (BinaryPrimitives.ReadUInt64LittleEndian(bytes) >> 11) * (1.0 / (1UL << 53));
    }

    private static List<RunCommand> CommandsFor(RunPlan plan, RunState state, List<RunEvent> events)
    {
        var commands = new List<RunCommand>();
        foreach (var e in events)
        {
            if (ChildRunDecisions.CommandFor(plan, state, e) is { } forFamily)
            {
                commands.Add(forFamily);
            }

            switch (e)
            {
                case RunRequested or RunRetryRequested:
                    commands.Add(new StartWhenSlotFree());
                    if (e is RunRequested { StartBy: { } startBy })
                    {
                        commands.Add(new StartTimer(new SlaMissed(startBy, state.Round, Start: true), startBy));
                    }

                    break;
                case RunStarted started:
                    if (plan.Timeout is { } timeout)
                    {
                        commands.Add(new StartTimer(new RunTimedOut(started.At + timeout, state.Round), started.At + timeout));
                    }

                    if (plan.Sla is { } sla)
                    {
                        commands.Add(new StartTimer(new SlaMissed(started.At + sla, state.Round), started.At + sla));
                    }

                    break;
                // A block's SLA counts from its first attempt of the round; a block run per item, from its item 0's, so
                // that a fan-out of thousands arms one timer, not one per item.
                case BlockStarted started when InstanceKeys.Parse(started.Key) is var (name, index) && index is null or 0
                    && plan.Contains(name) && plan.Block(name).Sla is { } blockSla
                    && state.Block(started.Key).FirstAttemptOfRound == started.Attempt:
                    commands.Add(new StartTimer(new SlaMissed(started.At + blockSla, state.Round, name), started.At + blockSla));
                    break;
                case BlockScheduled scheduled:
                    commands.Add(new DispatchBlock(scheduled.Key, scheduled.Attempt));
                    break;
                case BlockRetrying retrying:
                    commands.Add(new StartTimer(new RetryTimerFired(retrying.DueAt, retrying.Key, retrying.NextAttempt), retrying.DueAt));
                    break;
                // A wait reported after a cancel was cancelled at once: nothing to time.
                case BlockWaiting { Until: { } until } waiting when state.Block(waiting.Key) is { Status: BlockStatus.Waiting } block && block.Attempt == waiting.Attempt:
                    commands.Add(new StartTimer(new WaitTimerFired(until, waiting.Key, waiting.Attempt), until));
                    break;
                case CancelRequested or RunTimedOut:
                    var running = state.Blocks.Where(b => b.Value.Status == BlockStatus.Running && !IsSummary(plan, state, b.Key)).Select(b => b.Key).ToList();
                    if (running.Count > 0)
                    {
                        commands.Add(new StopRunningBlocks(running));
                    }

                    break;
            }
        }

        return commands;
    }
}

using System.Text.Json;
using Duraflow.Engine.Runs;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Duraflow.Durable;

/// <summary>
/// The Durable orchestrator: one round of a run, interpreted from its pinned plan with the same pure decider as the
/// <c>duraflow</c> runtime. Each decision's events are recorded in the project's run store by an activity before its
/// commands are carried out; a dispatch becomes a block activity, a retry delay or the run timeout a durable timer,
/// a fan-out as many activities in flight at once, a cancel an external event; concurrency across runs is a slot taken
/// in the run store when the run starts, polled on a durable timer while the pipeline is full.
/// </summary>
/// <remarks>
/// Deterministic, as replay requires: times come from the context, jitter from the attempt's identity (in the
/// decider), every input from history; the only I/O is through activities; logging goes through a replay-safe logger.
/// </remarks>
internal sealed class RunOrchestration
{
    /// <summary>How often a run waiting for a concurrency slot looks again.</summary>
    internal static readonly TimeSpan SlotPoll = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Activity calls after which an execution continues as new at its next quiet point, so replaying its history
    /// (on every step) stays short however long the run is: without it, a 1,000-block chain took minutes.
    /// </summary>
    internal const int CallsPerExecution = 100;

    // Activities fail only when the infrastructure does (a block's own failure is an outcome): try a few times.
    private static readonly TaskOptions ActivityRetries = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30)));

    private readonly TaskOrchestrationContext _context;
    private readonly RunPlan _plan;
    private readonly string _planJson;
    private readonly string _runId;
    private readonly ILogger _log;
    private readonly List<RunEvent> _pending = [];
    private readonly List<string> _pendingExtras = [];
    private readonly List<RunCommand> _commands = [];
    private readonly Dictionary<Task, Func<Task<RunEvent?>>> _waits = [];
    private readonly Dictionary<Task, StartTimer> _armed = [];
    private readonly int _revision;
    private int _calls;

    // Decisions a carrying block activity was asked to record and has not yet been seen to: the next record sends them
    // first (the store skips them if the activity got there), so a later record never expects a version the store
    // lacks, and a carrying activity that failed for good still gets its decisions into the store.
    private RecordInput? _unconfirmed;
    private RunState _state;
    private long _recorded;
    private Task<bool>? _recording;
    private long _recordingUpTo;
    private bool _needSlot;
    private string? _waitingFor;

    private RunOrchestration(TaskOrchestrationContext context, RunOrchestrationInput input)
    {
        _context = context;
        _runId = input.RunId;
        _plan = RunPlan.FromJson(input.Plan);
        _planJson = input.Plan;
        _state = RunState.FromJson(input.State);
        _recorded = _state.Version;
        _revision = input.Revision;
        if (input.Carried is { } carried)
        {
            var work = JsonSerializer.Deserialize<CarriedWork>(carried, EngineJson.Options)!;
            _commands.AddRange(work.Dispatches);
            _commands.AddRange(work.Timers);
        }

        _log = context.CreateReplaySafeLogger<RunOrchestration>();
        context.SetCustomStatus(new LiveStatus(this));
    }

    private DateTimeOffset Now => new(_context.CurrentUtcDateTime, TimeSpan.Zero);

    /// <summary>Runs the round <paramref name="input"/> describes to its end.</summary>
    public static Task<RunOrchestrationOutput> RunAsync(TaskOrchestrationContext context, RunOrchestrationInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return new RunOrchestration(context, input).RunAsync();
    }

    private async Task<RunOrchestrationOutput> RunAsync()
    {
        // Timers and the event wait are cancelled at the end, so the orchestration completes without them.
        using var stopWaiting = new CancellationTokenSource();
        Task<string>? cancel = _context.WaitForExternalEvent<string>(DurableNames.CancelEvent, stopWaiting.Token);
        var signal = _context.WaitForExternalEvent<string>(DurableNames.SignalEvent, stopWaiting.Token);
        var child = _context.WaitForExternalEvent<string>(DurableNames.ChildEvent, stopWaiting.Token);
        Task? slotPoll = null;

        // The run's request (or retry) is recorded already; the slot it asks for is this orchestration's to take.
        _needSlot = _state.Status == RunStatus.Pending;

        // A scheduled run's start_sla: its request's timer is this orchestration's to arm, as the slot is hers to take.
        if (_needSlot && _state is { Round: 0, StartBy: { } startBy } && !_state.SlasMissed.Contains("start"))
        {
            _commands.Add(new StartTimer(new SlaMissed(startBy, 0, Start: true), startBy));
        }

        while (true)
        {
            // Commands need their decisions in the store first (a dispatched block reads its inputs there); so do the
            // end of the run and a start. Otherwise the decisions are recorded in the background while the run goes
            // on, one record at a time, so a wide fan-in records its reports in batches instead of one by one.
            // A lone dispatch (each step of a chain) carries the decisions to its block activity instead, which records
            // them before it runs.
            if (_commands.Count > 0 || _state.Status.IsTerminal() || (_needSlot && slotPoll is null))
            {
                var quiet = !_state.Status.IsTerminal() && QuietAfterLongHistory(cancel, slotPoll) && !signal.IsCompleted && !child.IsCompleted;
                var carry = !quiet && _revision >= 2 && !_state.Status.IsTerminal() && !(_needSlot && slotPoll is null)
                    && _commands.Count(c => c is DispatchBlock) == 1 && NoActivityInFlight();
                if (carry)
                {
                    await EndRecordIfAnyAsync().ConfigureAwait(true);
                }
                else
                {
                    await FlushAsync().ConfigureAwait(true);
                }

                if (_state.Status.IsTerminal())
                {
                    // The end of a child run is its parent's to hear, now that it is recorded.
                    Execute(carry: false, stopWaiting.Token);
                    break;
                }

                // A cancel taken while the flush was recorded is decided here first; the next quiet point continues.
                if (quiet && QuietAfterLongHistory(cancel, slotPoll) && !signal.IsCompleted && !child.IsCompleted)
                {
                    stopWaiting.Cancel();
                    ContinueAsNew();
                    return Output();
                }

                Execute(carry, stopWaiting.Token);
                if (_needSlot && slotPoll is null)
                {
                    if (await TryTakeSlotAsync().ConfigureAwait(true))
                    {
                        continue;
                    }

                    slotPoll = _context.CreateTimer(Now.UtcDateTime + SlotPoll, stopWaiting.Token);
                }
            }

            if (_recording is null && _pending.Count > 0)
            {
                _recording = StartRecord();
            }

            var waits = _waits.Keys.ToList();
            if (cancel is not null)
            {
                waits.Add(cancel);
            }

            if (slotPoll is not null)
            {
                waits.Add(slotPoll);
            }

            waits.Add(signal);
            waits.Add(child);

            if (_recording is not null)
            {
                waits.Add(_recording);
            }

            var done = await Task.WhenAny(waits).ConfigureAwait(true);
            if (done == _recording)
            {
                await EndRecordAsync().ConfigureAwait(true);
            }
            else if (done == cancel)
            {
                var reason = await cancel.ConfigureAwait(true);
                cancel = null;
                Decide(new CancelRequested(Now, reason));
            }
            else if (done == slotPoll)
            {
                slotPoll = null;
            }
            else if (done == child)
            {
                var payload = await child.ConfigureAwait(true);
                child = _context.WaitForExternalEvent<string>(DurableNames.ChildEvent, stopWaiting.Token);
                if (Read<ChildRunEnded>(payload) is { } ended)
                {
                    Decide(ended with { At = Now });
                }
            }
            else if (done == signal)
            {
                // Decided when it is taken here, not when it was sent: one clock, the orchestration's, for every decision.
                var payload = await signal.ConfigureAwait(true);
                signal = _context.WaitForExternalEvent<string>(DurableNames.SignalEvent, stopWaiting.Token);
                if (Read<SignalReceived>(payload) is { } received)
                {
                    Decide(received with { At = Now }, LogLevel.Warning);
                }
            }
            else
            {
                var toEvent = _waits[done];
                _waits.Remove(done);
                if (await toEvent().ConfigureAwait(true) is { } happened)
                {
                    Decide(happened);
                }
            }
        }

        // Cancel, not CancelAsync: the latter runs the callbacks on the thread pool and resumes this method there, off
        // the orchestrator's thread, so the orchestration would never be seen to complete (the Functions extension
        // fails such an orchestrator outright).
        stopWaiting.Cancel();
        return Output();
    }

    // Decides an input; a rejected one (a late report after a cancel, say) changes nothing. A rejected signal is
    // logged as a warning: its sender was told it was taken, and only this log says otherwise.
    private void Decide(RunEvent input, LogLevel rejected = LogLevel.Debug)
    {
        var decision = RunDecider.Decide(_plan, _state, input);
        if (!decision.Accepted)
        {
            if (_log.IsEnabled(rejected))
            {
                _log.Log(rejected, "run {RunId}: {Input} changes nothing: {Why}", _runId, input.GetType().Name, decision.Rejection);
            }

            return;
        }

        Adopt(decision);
    }

    // The event an external event carries (a signal, a child's end); anything else raised under its name is ignored,
    // not a failure of the run.
    private T? Read<T>(string? payload)
        where T : RunEvent
    {
        try
        {
            if (payload is not null && JsonSerializer.Deserialize<RunEvent>(payload, EngineJson.Options) is T read)
            {
                return read;
            }
        }
        catch (JsonException)
        {
            // Reported below.
        }

        _log.LogWarning("run {RunId}: an external event that is not a {Event} was ignored", _runId, typeof(T).Name);
        return null;
    }

    private void Adopt(Decision decision)
    {
        _state = decision.State;
        _pending.AddRange(decision.Events);
        foreach (var command in decision.Commands)
        {
            if (command is StartWhenSlotFree)
            {
                _needSlot = true;
            }
            else
            {
                _commands.Add(command);
            }
        }
    }

    // Carries out the commands of decisions already recorded (or, with carry, recorded by the one block they dispatch): a
    // block attempt's activity reads its inputs from the store.
    private void Execute(bool carry, CancellationToken stopWaiting)
    {
        var commands = _commands.ToList();
        _commands.Clear();
        foreach (var command in commands)
        {
            switch (command)
            {
                case DispatchBlock dispatch:
                    Dispatch(dispatch, carry);
                    break;
                case StartTimer timer:
                    Arm(timer.Fire, timer.DueAt, stopWaiting);
                    break;

                // Running blocks watch the run's status in the store, which says cancelling once this decision is recorded.
                case StopRunningBlocks:
                    break;

                // Parent and child runs are orchestrations of their own: they talk by events, sent as this one's actions.
                case NotifyParent notify:
                    _context.SendEvent(DurableNames.InstanceId(notify.Parent.RunId, notify.Parent.Round), DurableNames.ChildEvent, JsonSerializer.Serialize<RunEvent>(notify.Ended, EngineJson.Options));
                    break;
                case CancelChildRun cancelChild:
                    _context.SendEvent(DurableNames.InstanceId(cancelChild.Child, 0), DurableNames.CancelEvent, cancelChild.Reason);
                    break;
            }
        }
    }

    private void Dispatch(DispatchBlock dispatch, bool carry)
    {
        Decide(new BlockStarted(Now, dispatch.Key, dispatch.Attempt, $"durable:{_context.InstanceId}"));
        RecordInput? record = null;
        if (carry)
        {
            // The activity records these before it runs; until it reports, the next record sends them first.
            record = new RecordInput(_runId, _recorded, Serialize(_pending), [.. _pendingExtras], TakeSlot: false, Before: _unconfirmed);
            _unconfirmed = record;
            _recorded = _state.Version;
            _pending.Clear();
            _pendingExtras.Clear();
        }

        _calls++;
        var call = _context.CallActivityAsync<BlockActivityOutput>(
            DurableNames.BlockActivity, new BlockActivityInput(_runId, dispatch.Key, dispatch.Attempt, record), ActivityRetries);
        _waits[call] = () => ReportedAsync(call, dispatch, record);
    }

    private bool NoActivityInFlight() => _recording is null && _waits.Keys.All(_armed.ContainsKey);

    // A quiet point of a long execution: no activity in flight, no event taken but not yet decided, no concurrency
    // slot awaited. Continuing as new there loses nothing: timers and dispatches not yet made are carried over.
    private bool QuietAfterLongHistory(Task<string>? cancel, Task? slotPoll) =>
        _revision >= 2 && _calls >= CallsPerExecution && !_needSlot && slotPoll is null && cancel is not { IsCompleted: true }
            && NoActivityInFlight();

    private void ContinueAsNew()
    {
        var carried = new CarriedWork([.. _commands.OfType<DispatchBlock>()], [.. _commands.OfType<StartTimer>(), .. _armed.Values]);
        var input = new RunOrchestrationInput(_runId, _planJson, WithoutParameters(_state), _revision, JsonSerializer.Serialize(carried, EngineJson.Options));

        // A cancel that arrives while the next execution starts waits for it.
        _context.ContinueAsNew(new ContinueAsNewOptions { NewInput = input, PreserveUnprocessedEvents = true });
    }

    private async Task<RunEvent?> ReportedAsync(Task<BlockActivityOutput> call, DispatchBlock dispatch, RecordInput? carried)
    {
        BlockActivityOutput output;
        try
        {
            output = await call.ConfigureAwait(true);

            // It recorded what it carried before it ran.
            if (carried is not null && ReferenceEquals(_unconfirmed, carried))
            {
                _unconfirmed = null;
            }
        }
        catch (TaskFailedException failure)
        {
            // The activity kept failing outside the block's code (the store unreachable, the worker lost): a retryable
            // failure of the attempt, so the block's own retry policy applies.
            return new BlockFailed(Now, dispatch.Key, dispatch.Attempt, $"the block activity failed: {failure.FailureDetails.ErrorMessage}", Retryable: true);
        }

        if (output.Extras is { } extras)
        {
            _pendingExtras.Add(extras);
        }

        return JsonSerializer.Deserialize<RunEvent>(output.Report, EngineJson.Options)!;
    }

    // Provider timers can fire up to a second early (queue visibility is whole seconds); one that does is armed again
    // for the rest, so a retry delay or timeout is never shorter than the definition says.
    private void Arm(RunEvent fire, DateTimeOffset dueAt, CancellationToken stopWaiting)
    {
        var timer = _context.CreateTimer(dueAt.UtcDateTime, stopWaiting);
        _armed[timer] = new StartTimer(fire, dueAt);
        _waits[timer] = () =>
        {
            _armed.Remove(timer);
            if (Now < dueAt)
            {
                Arm(fire, dueAt, stopWaiting);
                return Task.FromResult<RunEvent?>(null);
            }

            return Task.FromResult<RunEvent?>(TimerEvents.FiredAt(fire, Now));
        };
    }

    // Records every pending decision: waits for the record in flight, then records the rest.
    private async Task FlushAsync()
    {
        await EndRecordIfAnyAsync().ConfigureAwait(true);

        // Revision 1 recorded only when there were decisions; replaying its histories must call the same activities.
        if (_pending.Count > 0 || (_revision >= 2 && (_pendingExtras.Count > 0 || _unconfirmed is not null)))
        {
            _recording = StartRecord();
            await EndRecordAsync().ConfigureAwait(true);
        }
    }

    private async Task EndRecordIfAnyAsync()
    {
        if (_recording is not null)
        {
            await EndRecordAsync().ConfigureAwait(true);
        }
    }

    // Sends the pending decisions to the record activity, which evolves the stored state by them.
    private Task<bool> StartRecord()
    {
        var input = new RecordInput(_runId, _recorded, Serialize(_pending), [.. _pendingExtras], TakeSlot: false, Before: _unconfirmed);
        _unconfirmed = null;
        _recordingUpTo = _state.Version;
        _pending.Clear();
        _pendingExtras.Clear();
        _calls++;
        return _context.CallActivityAsync<bool>(DurableNames.RecordActivity, input, ActivityRetries);
    }

    // A record that keeps failing fails the orchestration: the store would no longer be the run's index.
    private async Task EndRecordAsync()
    {
        await _recording!.ConfigureAwait(true);
        _recording = null;
        _recorded = _recordingUpTo;
    }

    // Starts the run if the pipeline's concurrency has room: the start is decided here and committed with the store's
    // slot check; when the store says the pipeline is full, the decision is dropped and tried again later.
    private async Task<bool> TryTakeSlotAsync()
    {
        await FlushAsync().ConfigureAwait(true);
        var start = RunDecider.Decide(_plan, _state, new RunStarted(Now));
        if (!start.Accepted)
        {
            _needSlot = false;
            return false;
        }

        var input = new RecordInput(_runId, _recorded, Serialize(start.Events), [], TakeSlot: true);
        if (!await _context.CallActivityAsync<bool>(DurableNames.RecordActivity, input, ActivityRetries).ConfigureAwait(true))
        {
            _waitingFor = $"waiting for a concurrency slot: pipeline {_plan.Pipeline} allows {_plan.Concurrency} run(s) at once";
            return false;
        }

        _needSlot = false;
        _waitingFor = null;
        Adopt(start);
        _pending.Clear();
        _recorded = _state.Version;
        return true;
    }

    private RunOrchestrationOutput Output() => new(
        _state.Status.ToSnakeCase(),
        _state.Blocks.Count(b => b.Value.Status.IsTerminal()),
        _state.Blocks.Count,
        _state.Error ?? (_state.Status.IsTerminal() ? null : _waitingFor));

    /// <summary>
    /// The custom status, read when Durable serializes it at the end of each episode rather than computed whenever the
    /// run moves on: counting the finished blocks after every recorded decision made replaying a long chain's history
    /// cost the square of its length. The same shape as <see cref="RunOrchestrationOutput"/>.
    /// </summary>
    private sealed class LiveStatus(RunOrchestration orchestration)
    {
        public string Status => orchestration.Output().Status;

        public int Done => orchestration.Output().Done;

        public int Total => orchestration.Output().Total;

        public string? Note => orchestration.Output().Note;
    }

    private static string Serialize(IReadOnlyList<RunEvent> events) => JsonSerializer.Serialize(events, EngineJson.Options);

    /// <summary>The state as the orchestration may hold it: without parameter values, which stay in the run store.</summary>
    internal static string WithoutParameters(RunState state)
    {
        var copy = state.Clone();
        copy.Parameters.Clear();
        return copy.ToJson();
    }
}

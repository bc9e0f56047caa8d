using System.Globalization;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Runtime;

/// <summary>The bodies of queue messages, and the idempotency keys that make re-sending one harmless.</summary>
internal static class WorkMessages
{
    /// <summary>A block attempt to run; <paramref name="TraceParent"/> is the span of the commit that sent it (W3C), for a link across the queue.</summary>
    public sealed record BlockWork(string Key, int Attempt, string? TraceParent = null);

    /// <summary>A message for the run's decider: start it when a slot is free, or deliver an event (a timer); with the sending span, as above.</summary>
    public sealed record OrchestrationWork(bool Start, RunEvent? Event, string? TraceParent = null);

    public static WorkItem ForCommand(string runId, RunState state, RunCommand command, DateTimeOffset now) => command switch
    {
        DispatchBlock d => new WorkItem(
            WorkQueues.Blocks, runId, Invariant($"{runId}/block/{d.Key}/{d.Attempt}"), Serialize(new BlockWork(d.Key, d.Attempt, Sender)), now),
        StartTimer { Fire: RetryTimerFired fire } t => new WorkItem(
            WorkQueues.Orchestration, runId, Invariant($"{runId}/retry/{fire.Key}/{fire.NextAttempt}"), Serialize(new OrchestrationWork(false, fire, Sender)), RoundedUp(t.DueAt)),
        StartTimer { Fire: WaitTimerFired fire } t => new WorkItem(
            WorkQueues.Orchestration, runId, Invariant($"{runId}/wait/{fire.Key}/{fire.Attempt}"), Serialize(new OrchestrationWork(false, fire, Sender)), RoundedUp(t.DueAt)),
        StartTimer { Fire: RunTimedOut fire } t => new WorkItem(
            WorkQueues.Orchestration, runId, Invariant($"{runId}/timeout/{fire.Round}"), Serialize(new OrchestrationWork(false, fire, Sender)), RoundedUp(t.DueAt)),
        StartTimer { Fire: SlaMissed fire } t => new WorkItem(
            WorkQueues.Orchestration, runId, Invariant($"{runId}/sla/{fire.Round}/{fire.Subject}"), Serialize(new OrchestrationWork(false, fire, Sender)), RoundedUp(t.DueAt)),
        NotifyParent notify => new WorkItem(
            WorkQueues.Orchestration, notify.Parent.RunId, Invariant($"{notify.Parent.RunId}/child/{runId}/{state.Round}"), Serialize(new OrchestrationWork(false, notify.Ended, Sender)), now),
        CancelChildRun cancel => new WorkItem(
            WorkQueues.Orchestration, cancel.Child, Invariant($"{cancel.Child}/cancel/parent/{runId}/{state.Round}"), Serialize(new OrchestrationWork(false, new CancelRequested(now, cancel.Reason), Sender)), now),
        StartWhenSlotFree => new WorkItem(
            WorkQueues.Orchestration, runId, Invariant($"{runId}/start/{state.Round}"), Serialize(new OrchestrationWork(true, null, Sender)), now),
        _ => throw new ArgumentException($"{command.GetType().Name} is not sent as a message", nameof(command)),
    };

    // Stores keep due times in whole milliseconds; rounding up means a timer never fires before the time it was set for.
    private static DateTimeOffset RoundedUp(DateTimeOffset due) =>
        due.AddTicks((TimeSpan.TicksPerMillisecond - (due.UtcTicks % TimeSpan.TicksPerMillisecond)) % TimeSpan.TicksPerMillisecond);

    /// <summary>The span that is sending messages now (a commit), as a W3C traceparent; null when nothing traces.</summary>
    public static string? Sender => System.Diagnostics.Activity.Current?.Id;

    public static bool IsMessage(RunCommand command) => command is DispatchBlock or StartTimer or StartWhenSlotFree or NotifyParent or CancelChildRun;

    public static T Read<T>(LeasedWork work) =>
        JsonSerializer.Deserialize<T>(work.Body, EngineJson.Options) ?? throw new JsonException($"message {work.Key} has an empty body");

    private static string Serialize<T>(T body) => JsonSerializer.Serialize(body, EngineJson.Options);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

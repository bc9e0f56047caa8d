using System.Text.Json;
using System.Text.Json.Serialization;

namespace Duraflow.Engine.Runs;

/// <summary>
/// A fact about a run, as stored in its append-only event log. Some are reported from outside (a worker finished a
/// block, a user asked to cancel) and become facts only when the decider accepts them; the rest are decided.
/// </summary>
/// <param name="At">When it happened.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RunRequested), "run_requested")]
[JsonDerivedType(typeof(RunStarted), "run_started")]
[JsonDerivedType(typeof(BlockScheduled), "block_scheduled")]
[JsonDerivedType(typeof(BlockStarted), "block_started")]
[JsonDerivedType(typeof(BlockSucceeded), "block_succeeded")]
[JsonDerivedType(typeof(BlockFailed), "block_failed")]
[JsonDerivedType(typeof(BlockRetrying), "block_retrying")]
[JsonDerivedType(typeof(RetryTimerFired), "retry_timer_fired")]
[JsonDerivedType(typeof(BlockSkipped), "block_skipped")]
[JsonDerivedType(typeof(BlockUpstreamFailed), "block_upstream_failed")]
[JsonDerivedType(typeof(BlockCancelled), "block_cancelled")]
[JsonDerivedType(typeof(CancelRequested), "cancel_requested")]
[JsonDerivedType(typeof(RunTimedOut), "run_timed_out")]
[JsonDerivedType(typeof(SlaMissed), "sla_missed")]
[JsonDerivedType(typeof(RunRetryRequested), "run_retry_requested")]
[JsonDerivedType(typeof(RunCompleted), "run_completed")]
[JsonDerivedType(typeof(BlockUntilFalse), "block_until_false")]
[JsonDerivedType(typeof(BlockWaiting), "block_waiting")]
[JsonDerivedType(typeof(WaitTimerFired), "wait_timer_fired")]
[JsonDerivedType(typeof(SignalReceived), "signal_received")]
[JsonDerivedType(typeof(BlockSignalled), "block_signalled")]
[JsonDerivedType(typeof(ChildRunEnded), "child_run_ended")]
internal abstract record RunEvent(DateTimeOffset At);

/// <summary>A run was asked for, with its pinned definition and its parameters.</summary>
/// <param name="At">When.</param>
/// <param name="RunId">The run's id.</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="DefinitionHash">The hash of the pinned definition the run executes, whatever changes on disk later.</param>
/// <param name="Parameters">Parameter values after defaults and type conversion.</param>
/// <param name="Trigger">What asked for it: <c>cli</c>, <c>http</c>, <c>schedule</c>, <c>blob</c>.</param>
/// <param name="TriggerValues">
/// What the trigger knows, read by blocks as <c>{{ trigger.NAME }}</c>: a schedule's <c>scheduled_time</c>, a blob
/// event's <c>blob</c> object. Null for runs started by hand.
/// </param>
/// <param name="Runtime">Which runtime executes the run: null for <c>duraflow</c>, the engine's own; <c>durable</c> for Durable Task.</param>
/// <param name="Parent">For a child run (<c>uses: pipeline:NAME</c>): the run and block that wait for it; else null.</param>
/// <param name="StartBy">For a scheduled run with <c>start_sla</c>: when it should have started (its tick plus the SLA); else null.</param>
internal sealed record RunRequested(
    DateTimeOffset At, string RunId, string Pipeline, string DefinitionHash, IReadOnlyDictionary<string, JsonElement> Parameters, string Trigger,
    IReadOnlyDictionary<string, JsonElement>? TriggerValues = null, string? Runtime = null, ParentRun? Parent = null, DateTimeOffset? StartBy = null)
    : RunEvent(At);

/// <summary>The run got its concurrency slot and started.</summary>
/// <param name="At">When.</param>
internal sealed record RunStarted(DateTimeOffset At) : RunEvent(At);

/// <summary>A block (or fan-out item) was handed to the workers.</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="Attempt">The attempt number, from 1.</param>
internal sealed record BlockScheduled(DateTimeOffset At, string Key, int Attempt) : RunEvent(At);

/// <summary>A worker began (or, after a lost worker, resumed) an attempt.</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="Attempt">The attempt number.</param>
/// <param name="Worker">Which worker.</param>
internal sealed record BlockStarted(DateTimeOffset At, string Key, int Attempt, string Worker) : RunEvent(At);

/// <summary>An attempt succeeded and its output is stored.</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="Attempt">The attempt number.</param>
/// <param name="Output">The output's reference: an artifact key, or a small JSON output inline (see <see cref="OutputReference"/>).</param>
/// <param name="Items">For a fan-out block: how many items its output list has.</param>
/// <param name="Cached">True when the output came from the cache instead of running the block.</param>
/// <param name="CachedFrom">For a cached output: the run that computed it.</param>
/// <param name="Checkpoints">The checkpoint values the attempt set, staged on the run until it succeeds; null for none.</param>
/// <param name="Metrics">What the attempt measured: <c>rows_returned</c>, <c>rows_written</c>, <c>duration_ms</c>, ...</param>
internal sealed record BlockSucceeded(
    DateTimeOffset At, string Key, int Attempt, string Output, int? Items = null, bool Cached = false, IReadOnlyDictionary<string, double>? Metrics = null,
    string? CachedFrom = null, IReadOnlyDictionary<string, JsonElement>? Checkpoints = null)
    : RunEvent(At);

/// <summary>An attempt failed.</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="Attempt">The attempt number.</param>
/// <param name="Error">What went wrong, for the user.</param>
/// <param name="Retryable">False when retrying cannot help (bad definition, an explicit non-retryable failure).</param>
/// <param name="ErrorTypes">
/// The full names of the block's exception type and its base types, then those of the exceptions it wraps, most
/// derived first (a block timeout records <c>System.TimeoutException</c>), for <c>retry.on</c> and <c>retry.not_on</c>;
/// null when the platform, not the block's code, failed the attempt.
/// </param>
internal sealed record BlockFailed(DateTimeOffset At, string Key, int Attempt, string Error, bool Retryable, IReadOnlyList<string>? ErrorTypes = null) : RunEvent(At);

/// <summary>
/// A run of a block with <c>repeat</c> succeeded, but its output does not satisfy <c>until</c> yet: the block waits
/// <c>every</c> and runs again, or, after its last allowed run, fails or is skipped (<c>on_max</c>).
/// </summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="Attempt">The attempt number.</param>
/// <param name="Output">The run's output reference, kept as the block's latest output.</param>
/// <param name="Metrics">What the run measured, if anything.</param>
internal sealed record BlockUntilFalse(DateTimeOffset At, string Key, int Attempt, string Output, IReadOnlyDictionary<string, double>? Metrics = null)
    : RunEvent(At);

/// <summary>
/// A block waits without a worker: reported by a wait block (<c>wait.for</c>, <c>wait.until</c> with the time its
/// wait ends; <c>wait.signal</c>, <c>wait.approval</c> with the signal and its timeout) or by an attempt that found a
/// named limit at its bound (with when to ask again), or decided for a <c>repeat</c> until its next run.
/// </summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="Attempt">The attempt that waits.</param>
/// <param name="Until">When the wait ends (a signal's timeout); null for a signal awaited until the run ends.</param>
/// <param name="For">What the block waits for: <c>wait.for</c>, <c>wait.until</c>, <c>wait.signal</c>, <c>wait.approval</c>, <c>repeat</c> or <c>limit</c>.</param>
/// <param name="Signal">The signal's name, for a signal or an approval.</param>
/// <param name="SkipOnTimeout">For a signal: skip the block, rather than fail it, when <paramref name="Until"/> comes first.</param>
/// <param name="Limit">For a block waiting for a named limit (<c>For</c> is <c>limit</c>): its name.</param>
/// <param name="Child">For a block running another pipeline (<c>For</c> is <c>pipeline</c>): the child run it waits for.</param>
internal sealed record BlockWaiting(
    DateTimeOffset At, string Key, int Attempt, DateTimeOffset? Until, string For, string? Signal = null, bool SkipOnTimeout = false, string? Limit = null,
    string? Child = null)
    : RunEvent(At);

/// <summary>A child run that a block of this run waits for ended; its output, when it succeeded, is the block's.</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item that waits for it.</param>
/// <param name="Attempt">The attempt that started it.</param>
/// <param name="Child">The child run.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Output">The output reference of its output block, when it succeeded.</param>
/// <param name="Error">Why it failed or was cancelled.</param>
internal sealed record ChildRunEnded(DateTimeOffset At, string Key, int Attempt, string Child, RunStatus Status, string? Output, string? Error) : RunEvent(At);

/// <summary>A signal was sent to the run; it is kept until a block waiting for its name takes it.</summary>
/// <param name="At">When.</param>
/// <param name="Name">The signal's name.</param>
/// <param name="Data">Its JSON data (an object), or null.</param>
/// <param name="SignalKey">Its idempotency key, or null.</param>
/// <param name="By">Who sent it, from the caller's identity.</param>
internal sealed record SignalReceived(DateTimeOffset At, string Name, JsonElement? Data, string? SignalKey, string By) : RunEvent(At);

/// <summary>A waiting block took signal number <paramref name="Signal"/> of the run (0-based, in the order received).</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="Attempt">The attempt that waited.</param>
/// <param name="Signal">The signal's index in the run's signals.</param>
internal sealed record BlockSignalled(DateTimeOffset At, string Key, int Attempt, int Signal) : RunEvent(At);

/// <summary>The timer of a waiting block fired: a wait block succeeds, a repeating block runs again.</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="Attempt">The attempt that was waiting.</param>
internal sealed record WaitTimerFired(DateTimeOffset At, string Key, int Attempt) : RunEvent(At);

/// <summary>A failed attempt will be followed by another when the durable timer fires.</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="NextAttempt">The attempt that will run.</param>
/// <param name="DueAt">When it will be scheduled.</param>
internal sealed record BlockRetrying(DateTimeOffset At, string Key, int NextAttempt, DateTimeOffset DueAt) : RunEvent(At);

/// <summary>A retry timer fired.</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="NextAttempt">The attempt to schedule.</param>
internal sealed record RetryTimerFired(DateTimeOffset At, string Key, int NextAttempt) : RunEvent(At);

/// <summary>A block was skipped: its <c>when</c> was false (reported by a worker) or an upstream block was skipped.</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="Reason">Why.</param>
/// <param name="Attempt">The attempt that evaluated <c>when</c>; 0 when decided without running.</param>
internal sealed record BlockSkipped(DateTimeOffset At, string Key, string Reason, int Attempt = 0) : RunEvent(At);

/// <summary>A block will not run because a block it depends on failed.</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="Upstream">The failed upstream block.</param>
internal sealed record BlockUpstreamFailed(DateTimeOffset At, string Key, string Upstream) : RunEvent(At);

/// <summary>A block was cancelled: before it ran, or a worker stopped it.</summary>
/// <param name="At">When.</param>
/// <param name="Key">The block or item key.</param>
/// <param name="Attempt">The attempt that was stopped; 0 when it never started.</param>
internal sealed record BlockCancelled(DateTimeOffset At, string Key, int Attempt = 0) : RunEvent(At);

/// <summary>Someone asked to cancel the run.</summary>
/// <param name="At">When.</param>
/// <param name="Reason">Who or why, for the run's record.</param>
internal sealed record CancelRequested(DateTimeOffset At, string Reason) : RunEvent(At);

/// <summary>The run's <c>timeout</c> passed while it was running.</summary>
/// <param name="At">When.</param>
/// <param name="Round">Which round of the run the timer belongs to (0, then one more per retry of the run).</param>
internal sealed record RunTimedOut(DateTimeOffset At, int Round) : RunEvent(At);

/// <summary>
/// An SLA's timer fired while what it watches was still going (the run goes on): the run's <c>sla</c> from its start,
/// a block's <c>sla</c> from its first attempt of the round, or a scheduled run's <c>start_sla</c> from its tick.
/// </summary>
/// <param name="At">When.</param>
/// <param name="Round">Which round of the run the timer belongs to.</param>
/// <param name="Key">The block, for a block's SLA; null for the run's.</param>
/// <param name="Start">True for a schedule's <c>start_sla</c>: the run had not started yet.</param>
internal sealed record SlaMissed(DateTimeOffset At, int Round, string? Key = null, bool Start = false) : RunEvent(At)
{
    /// <summary>What missed its SLA, as the run records it: <c>run</c>, <c>start</c> or the block's key.</summary>
    public string Subject => Start ? "start" : Key ?? "run";
}

/// <summary>
/// Someone asked to run a failed or cancelled run again from its failed blocks; with a refreshed definition, also to
/// switch the run to that definition and rerun the blocks it changed.
/// </summary>
/// <param name="At">When.</param>
/// <param name="DefinitionHash">The refreshed plan's hash, or null to keep the pinned definition.</param>
/// <param name="Rerun">
/// With a refreshed definition: the blocks whose definition or file text changed, or that are new, and every block
/// downstream of them; they run again even if they succeeded. The others keep their outputs.
/// </param>
/// <param name="RefreshedFrom">The hash the refresh was computed against; the retry is refused if the run has moved on.</param>
internal sealed record RunRetryRequested(
    DateTimeOffset At, string? DefinitionHash = null, IReadOnlyList<string>? Rerun = null, string? RefreshedFrom = null)
    : RunEvent(At);

/// <summary>The run ended.</summary>
/// <param name="At">When.</param>
/// <param name="Status">Succeeded, failed or cancelled.</param>
/// <param name="Error">For a failed run: why, in one line.</param>
internal sealed record RunCompleted(DateTimeOffset At, RunStatus Status, string? Error) : RunEvent(At);

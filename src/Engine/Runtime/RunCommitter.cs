using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Duraflow.Engine.Alerts;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// The I/O around the decider: load a run's snapshot, decide, commit the events with the snapshot and the outgoing
/// work in one transaction, and retry on a concurrency conflict. Every change to a run goes through here, whether it
/// comes from a worker, a timer, the CLI or the API.
/// </summary>
/// <remarks>
/// Decisions start from the last snapshot this engine read or committed for the run, when it has one (see
/// <see cref="RunSnapshots"/>), which saves a store read per decision; the store's version check catches a snapshot
/// that another process has overtaken, and a rejection is confirmed on a fresh read before it counts. Reads for
/// display (<see cref="Store"/>) always go to the store.
/// </remarks>
internal sealed class RunCommitter
{
    private const int MaxConflictRetries = 20;
    private readonly ConcurrentDictionary<string, RunPlan> _plans = new(StringComparer.Ordinal);
    private readonly RunSnapshots _snapshots = new();
    private readonly RunCommitLanes _lanes;

    /// <summary>Creates the committer over one store.</summary>
    public RunCommitter(IRunStore store, IWorkQueues queues, IArtifactStore artifacts, EngineOptions? options = null, TimeProvider? time = null)
    {
        Store = store;
        Queues = queues;
        Artifacts = artifacts;
        Options = options ?? new EngineOptions();
        Time = time ?? TimeProvider.System;
        _lanes = new RunCommitLanes(CommitBatchAsync);

        // Both stores keep ledgers; a store that keeps none (a test's wrapper) refuses blocks with limits.
        Limits = new NamedLimits(store as ILimitLedgers, Options.Limits, Time, Options.Lease);
        Children = new ChildRunStarter(this);
    }

    /// <summary>Starts the child runs of blocks that run another pipeline (<c>uses: pipeline:NAME</c>).</summary>
    public ChildRunStarter Children { get; }

    /// <summary>The project's named limits, which block attempts take and give back in the store.</summary>
    public NamedLimits Limits { get; }

    /// <summary>The run store.</summary>
    public IRunStore Store { get; }

    /// <summary>The work queues.</summary>
    public IWorkQueues Queues { get; }

    /// <summary>Block outputs.</summary>
    public IArtifactStore Artifacts { get; }

    /// <summary>Worker settings.</summary>
    public EngineOptions Options { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Pulsed after every commit that adds work, to wake this process's workers.</summary>
    public WorkSignal Signal { get; } = new();

    /// <summary>Pulsed after every commit that adds orchestration work (run starts, timers), to wake the orchestration loop.</summary>
    public WorkSignal OrchestrationSignal { get; } = new();

    /// <summary>Pulsed after every commit that queues alerts, to wake the alert loop.</summary>
    public WorkSignal AlertSignal { get; } = new();

    /// <summary>Cancellation sources of the blocks this process is running, for stopping them at once.</summary>
    internal RunningBlocks Running { get; } = new();

    /// <summary>
    /// Raised after each commit made by this process, with the run's new state and the events committed: where a host
    /// observes every run it works on, whatever started it (the server's run log, <c>duraflow run</c>'s progress).
    /// </summary>
    public event EventHandler<RunCommitted>? RunChanged;

    /// <summary>
    /// Creates <paramref name="run"/>: decides its request on an empty state and commits that as the run's first
    /// version, with its plan and idempotency key, and queues its start. Only the runtimes (<see cref="DuraflowRuntime"/>
    /// and the durable one) call this, for <see cref="RunStarter"/> (tests/Architecture.Tests holds them to that).
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">A run with this id or idempotency key exists already.</exception>
    /// <param name="run">The run to create.</param>
    /// <param name="runtime">
    /// Null for this engine's runs, whose start is queued with them; a runtime's name (<c>durable</c>) for runs that
    /// runtime carries out itself: their commands are not queued here, and the run remembers its runtime.
    /// </param>
    /// <param name="cancellationToken">Stops the commit.</param>
    internal async Task<Decision> CreateRunAsync(NewRun run, CancellationToken cancellationToken, string? runtime = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var activity = EngineTelemetry.StartRunActivity("duraflow.start", run.RunId);
        activity?.SetTag("duraflow.pipeline", run.Plan.Pipeline);
        activity?.SetTag("duraflow.trigger", run.Trigger.Kind);
        _plans.TryAdd(run.PlanHash, run.Plan);
        var trigger = run.Trigger.Values.Count == 0 ? null : run.Trigger.Values;
        var requested = new RunRequested(
            Time.GetUtcNow(), run.RunId, run.Plan.Pipeline, run.PlanHash, run.Parameters.Values, run.Trigger.Kind, trigger, runtime, run.Trigger.Parent, run.Trigger.StartBy);
        var decision = RunDecider.Decide(run.Plan, new RunState(), requested);
        await CommitAsync(
            run.RunId, new StoredRun(new RunState(), 0), decision, new RunCommitExtras { Plan = run.Plan, IdempotencyKey = run.IdempotencyKey }, cancellationToken,
            queueWork: runtime is null).ConfigureAwait(false);
        return decision;
    }

    /// <summary>
    /// Records what another runtime decided (the Durable orchestrator runs the same decider over its own history): the
    /// events, as they are, at <paramref name="expectedVersion"/>, with nothing queued, since that runtime carries out the
    /// commands. The state after them is the stored one evolved by them, so the caller sends events only (the
    /// orchestration's history holds no copy of the run's state), and only the blocks they changed are written.
    /// </summary>
    /// <returns>
    /// False when <paramref name="extras"/> enforce concurrency and the pipeline has no slot free; true when recorded, or
    /// when these events were recorded before (a redelivered record: the store is past them already).
    /// </returns>
    /// <param name="runId">The run.</param>
    /// <param name="expectedVersion">The run's version the events were decided on.</param>
    /// <param name="events">The events.</param>
    /// <param name="extras">Logs, checkpoints, and whether to enforce the pipeline's concurrency.</param>
    /// <param name="cancellationToken">Stops the commit.</param>
    /// <param name="redelivered">
    /// True (an activity, which may run twice) to count a store already past these events as recorded; false to treat
    /// any change since <paramref name="expectedVersion"/> as a conflict.
    /// </param>
    /// <exception cref="ConcurrencyConflictException">Something else changed the run since <paramref name="expectedVersion"/>.</exception>
    internal async Task<bool> RecordAsync(
        string runId, long expectedVersion, IReadOnlyList<RunEvent> events, RunCommitExtras extras, CancellationToken cancellationToken,
        bool redelivered = true)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(extras);
        // Usually the snapshot this process recorded last; one that does not match is checked against the store.
        var (stored, cached) = await LoadAsync(runId, fresh: false, cancellationToken).ConfigureAwait(false);
        if (cached && stored.Version != expectedVersion)
        {
            (stored, _) = await LoadAsync(runId, fresh: true, cancellationToken).ConfigureAwait(false);
        }

        if (redelivered && stored.Version >= expectedVersion + events.Count)
        {
            return true;
        }

        if (stored.Version != expectedVersion)
        {
            throw new ConcurrencyConflictException(
                $"run {runId} is at version {stored.Version} in the store, not {expectedVersion}: something other than its runtime changed it");
        }

        var plan = await PlanAsync(stored.State.DefinitionHash, cancellationToken).ConfigureAwait(false);
        var state = stored.State.Clone();
        foreach (var e in events)
        {
            RunEvolver.Evolve(plan, state, e);
        }

        try
        {
            await CommitAsync(runId, stored, new Decision(state, events, [], null), extras, cancellationToken, queueWork: false).ConfigureAwait(false);
            return true;
        }
        catch (ConcurrencyLimitReachedException) when (extras.EnforceConcurrency)
        {
            return false;
        }
    }

    /// <summary>
    /// Decides <paramref name="input"/> against the run's current state and commits the result. A rejected input
    /// (a duplicate or stale report) changes nothing; its consumed message is simply deleted.
    /// </summary>
    public Task<Decision> ApplyAsync(string runId, RunEvent input, RunCommitExtras? extras = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ApplyAsync(runId, [input], extras, cancellationToken);
    }

    /// <summary>
    /// Decides <paramref name="inputs"/> in order against the run's current state, each on the state the ones before
    /// it left, and commits everything accepted in one transaction (see <see cref="RunDecider.DecideAll"/>). A
    /// rejected input is skipped; when none is accepted nothing changes and the consumed message is simply deleted.
    /// Reports on the same run that arrive while one of its commits is under way share the next commit
    /// (<see cref="RunCommitLanes"/>); each caller still gets its own decision.
    /// </summary>
    public Task<Decision> ApplyAsync(
        string runId, IReadOnlyList<RunEvent> inputs, RunCommitExtras? extras = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return _lanes.SubmitAsync(runId, new CommitRequest(inputs, extras ?? new RunCommitExtras(), cancellationToken));
    }

    /// <summary>Decides a batch of requests on the run's current state and commits them once; one decision per request.</summary>
    private async Task<IReadOnlyList<Decision>> CommitBatchAsync(string runId, IReadOnlyList<CommitRequest> batch, CancellationToken cancellationToken)
    {
        using var activity = EngineTelemetry.StartRunActivity("duraflow.commit", runId);
        activity?.SetTag("duraflow.commit.reports", batch.Count);
        var began = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            (var decisions, outcome) = await DecideAndCommitAsync(runId, batch, cancellationToken).ConfigureAwait(false);
            return decisions;
        }
        finally
        {
            var tag = new KeyValuePair<string, object?>(EngineTelemetry.CommitOutcome, outcome);
            activity?.SetTag(EngineTelemetry.CommitOutcome, outcome);
            if (outcome == "failed")
            {
                activity?.SetStatus(ActivityStatusCode.Error);
            }

            EngineTelemetry.Commits.Add(1, tag);
            EngineTelemetry.CommitDuration.Record(Stopwatch.GetElapsedTime(began).TotalSeconds, tag);
        }
    }

    // Decides and commits, deciding again on a fresher state after a conflict; the outcome is "committed" or
    // "rejected" (nothing to commit: a duplicate or stale report).
    private async Task<(IReadOnlyList<Decision> Decisions, string Outcome)> DecideAndCommitAsync(
        string runId, IReadOnlyList<CommitRequest> batch, CancellationToken cancellationToken)
    {
        var fresh = false;
        for (var conflicts = 0; ; conflicts++)
        {
            var (stored, cached) = await LoadAsync(runId, fresh, cancellationToken).ConfigureAwait(false);

            // A refreshing retry is decided on the plan it switches to: new blocks and fan-out items come from it.
            var plan = batch is [{ Inputs: [RunRetryRequested { DefinitionHash: { } refreshedHash }] }]
                ? await PlanAsync(refreshedHash, cancellationToken).ConfigureAwait(false)
                : await PlanAsync(stored.State.DefinitionHash, cancellationToken).ConfigureAwait(false);
            var (decision, each) = RunDecider.DecideEach(plan, stored.State, [.. batch.Select(r => r.Inputs)]);
            if (!decision.Accepted)
            {
                if (cached)
                {
                    // An old snapshot can refuse what the current state accepts (a block it does not know is
                    // scheduled yet); there is no commit to catch that, so only a fresh read may say no.
                    _snapshots.Forget(runId, stored);
                    fresh = true;
                    continue;
                }

                foreach (var consumed in batch.Select(r => r.Extras.Consumed).OfType<LeasedWork>())
                {
                    await Queues.CompleteAsync(consumed, cancellationToken).ConfigureAwait(false);
                }

                return (each, "rejected");
            }

            try
            {
                await CommitAsync(runId, stored, decision, Merge(batch), cancellationToken).ConfigureAwait(false);
                return (each, "committed");
            }
            catch (ConcurrencyConflictException) when (conflicts < MaxConflictRetries)
            {
                // Someone else committed first; their facts are in the store now, so decide again on top of them.
                EngineTelemetry.CommitConflicts.Add(1);
                _snapshots.Forget(runId, stored);
                fresh = true;
            }
        }
    }

    private static readonly Dictionary<string, JsonElement> NoCheckpoints = new(StringComparer.Ordinal);

    // The commit that ends a run successfully is the one that stores the checkpoints its blocks set.
    private static bool SucceededNow(Decision decision) => decision.Events.OfType<RunCompleted>().Any(e => e.Status == RunStatus.Succeeded);

    // One request's extras as they are; a shared commit's: every consumed message (rejected reports' too, as a lone
    // rejected report's message is deleted), every log line.
    private static RunCommitExtras Merge(IReadOnlyList<CommitRequest> batch) => batch.Count == 1
        ? batch[0].Extras
        : new RunCommitExtras
        {
            Consumed = batch.Select(r => r.Extras.Consumed).OfType<LeasedWork>().FirstOrDefault(),
            AlsoConsumed = [.. batch.Select(r => r.Extras.Consumed).OfType<LeasedWork>().Skip(1)],
            Logs = [.. batch.SelectMany(r => r.Extras.Logs)],
        };

    /// <summary>
    /// The run as a block attempt sees it first: this engine's cached snapshot when it has one and
    /// <paramref name="usable"/> accepts it, else the store's (null when there is no such run). A cached snapshot that
    /// <paramref name="usable"/> refuses (say, the block is not in flight) may just be old, so the store decides.
    /// </summary>
    internal async Task<StoredRun?> ReadRunAsync(string runId, Func<RunState, bool> usable, CancellationToken cancellationToken)
    {
        if (_snapshots.TryGet(runId, out var cached) && usable(cached.State))
        {
            return cached;
        }

        var stored = await Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            _snapshots.Remember(runId, stored);
        }

        return stored;
    }

    /// <summary>Asks to cancel a run: waiting blocks are cancelled at once, running ones get their CancellationToken.</summary>
    public Task<Decision> CancelAsync(string runId, string reason, CancellationToken cancellationToken = default) =>
        ApplyAsync(runId, new CancelRequested(Time.GetUtcNow(), reason), null, cancellationToken);

    /// <summary>Runs a failed or cancelled run again from its failed blocks, reusing the outputs of those that succeeded.</summary>
    public Task<Decision> RetryAsync(string runId, CancellationToken cancellationToken = default) =>
        ApplyAsync(runId, new RunRetryRequested(Time.GetUtcNow()), null, cancellationToken);

    /// <summary>
    /// Runs a failed or cancelled run again on <paramref name="refreshed"/>, a plan made from the files as they are
    /// now: blocks whose definition changed, and their downstream blocks, run again; the others keep their outputs.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="refreshed"/> is of another pipeline.</exception>
    public async Task<Decision> RetryAsync(string runId, RunPlan refreshed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refreshed);
        var (stored, _) = await LoadAsync(runId, fresh: true, cancellationToken).ConfigureAwait(false);
        if (stored.State.Pipeline != refreshed.Pipeline)
        {
            throw new ArgumentException($"run {runId} is of pipeline {stored.State.Pipeline}, not {refreshed.Pipeline}", nameof(refreshed));
        }

        var pinned = await PlanAsync(stored.State.DefinitionHash, cancellationToken).ConfigureAwait(false);

        // The run keeps its parameters, resolved and typed when it started, and shown masked as its plan says; new files
        // that would read one it never had, as another type, or show one in clear need a new run.
        if (ParameterChange(pinned, refreshed) is { } change)
        {
            return Decision.Reject(stored.State, $"the pipeline's files {change}, and the run keeps the parameters it was started with; start a new run instead");
        }

        var hash = RunPlanner.Hash(refreshed.ToJson());
        _plans.TryAdd(hash, refreshed);
        var retry = new RunRetryRequested(Time.GetUtcNow(), hash, PlanChanges.Rerun(pinned, refreshed), stored.State.DefinitionHash);

        // The refreshed plan is pinned in the same commit (stores keep one copy per hash).
        return await ApplyAsync(runId, retry, new RunCommitExtras { Plan = refreshed }, cancellationToken).ConfigureAwait(false);
    }

    private static string? ParameterChange(RunPlan pinned, RunPlan refreshed)
    {
        var added = refreshed.ParameterTypes.Keys.Where(p => !pinned.ParameterTypes.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            return $"now declare parameter {string.Join(", ", added)}";
        }

        var retyped = refreshed.ParameterTypes.Where(p => pinned.ParameterTypes[p.Key] != p.Value).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        if (retyped.Count > 0)
        {
            return $"change the type of parameter {string.Join(", ", retyped)}";
        }

        var secret = pinned.SecretParameters ?? [];
        return secret.Except(refreshed.SecretParameters ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } unmasked
            ? $"no longer declare parameter {string.Join(", ", unmasked)} secret"
            : null;
    }

    /// <summary>The pinned plan with this hash (cached: plans never change).</summary>
    public async Task<RunPlan> PlanAsync(string hash, CancellationToken cancellationToken)
    {
        if (_plans.TryGetValue(hash, out var plan))
        {
            return plan;
        }

        plan = await Store.GetPlanAsync(hash, cancellationToken).ConfigureAwait(false);
        return _plans.GetOrAdd(hash, plan);
    }

    /// <summary>The snapshot to decide on, and whether it came from the cache instead of the store.</summary>
    private async Task<(StoredRun Run, bool Cached)> LoadAsync(string runId, bool fresh, CancellationToken cancellationToken)
    {
        if (!fresh && _snapshots.TryGet(runId, out var cached))
        {
            return (cached, true);
        }

        var stored = await Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new RunNotFoundException(runId);
        _snapshots.Remember(runId, stored);
        return (stored, false);
    }

    // How much later than a block's success a stored checkpoint must be to count as stored after it. The two times
    // come from different clocks on Azure (the worker that ran the block, the process that committed another run),
    // so a stored value within this of the block is taken as older: the run's value is stored, and the worst a skew
    // can cost is rows read twice, never rows skipped.
    private static readonly TimeSpan CheckpointClockSlack = TimeSpan.FromMinutes(2);

    // The staged checkpoints of a run that succeeds, less those stored again since the block that set them succeeded:
    // a run retried later must not move a watermark back past what later runs read, nor undo a value set by hand.
    private async Task<IReadOnlyDictionary<string, JsonElement>> CheckpointsToStoreAsync(RunState state, CancellationToken cancellationToken)
    {
        if (state.StagedCheckpoints is not { Count: > 0 } staged)
        {
            return NoCheckpoints;
        }

        var stored = (await Store.ListCheckpointsAsync(state.Pipeline, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Name, StringComparer.Ordinal);
        return staged
            .Where(s => !stored.TryGetValue(s.Key, out var current) || current.UpdatedAt <= s.Value.StagedAt + CheckpointClockSlack)
            .ToDictionary(s => s.Key, s => s.Value.Value, StringComparer.Ordinal);
    }

    // queueWork is false for a run whose runtime carries out the commands itself.
    private async Task CommitAsync(
        string runId, StoredRun decidedOn, Decision decision, RunCommitExtras extras, CancellationToken cancellationToken, bool queueWork = true)
    {
        var version = decidedOn.Version;
        var now = Time.GetUtcNow();
        var outgoing = queueWork
            ? decision.Commands.Where(WorkMessages.IsMessage).Select(c => WorkMessages.ForCommand(runId, decision.State, c, now)).ToList()
            : [];

        // Alerts leave with the change that caused them, whichever runtime carries the run out.
        var plan = await PlanAsync(decision.State.DefinitionHash, cancellationToken).ConfigureAwait(false);
        outgoing.AddRange(AlertOutbox.For(runId, decision.State, plan, decision.Events, now));
        await Store.CommitAsync(new RunCommit
        {
            RunId = runId,
            ExpectedVersion = version,
            Events = decision.Events,
            State = decision.State,
            BlockChanges = decision.State.Changes,
            WaitingChanged = decidedOn.State.IsWaiting != decision.State.IsWaiting,
            Plan = extras.Plan,
            IdempotencyKey = extras.IdempotencyKey,
            Outgoing = outgoing,
            Consumed = extras.Consumed,
            AlsoConsumed = extras.AlsoConsumed,
            DeadLetterReason = extras.DeadLetterReason,
            Logs = extras.Logs,
            Checkpoints = SucceededNow(decision) ? await CheckpointsToStoreAsync(decision.State, cancellationToken).ConfigureAwait(false) : NoCheckpoints,
            ConcurrencyLimit = extras.EnforceConcurrency ? plan.Concurrency : null,
        }, cancellationToken).ConfigureAwait(false);
        _snapshots.Remember(runId, new StoredRun(decision.State, version + decision.Events.Count));
        EngineTelemetry.Count(decision.State.Pipeline, decision.Events);
        foreach (var end in decision.Events.OfType<RunCompleted>())
        {
            EngineTelemetry.RecordRunSpan(decision.State, end);
        }

        foreach (var stop in decision.Commands.OfType<StopRunningBlocks>())
        {
            Running.Stop(runId, stop.Keys);
        }

        // A block whose start is not recorded yet (EngineOptions.RecordStartAfter) reads as scheduled, so a cancel
        // cancels it as a waiting block (attempt 0); if this process is running it, stop it now, as a running one.
        Running.Stop(runId, decision.Events.OfType<BlockCancelled>().Where(c => c.Attempt == 0).Select(c => c.Key));

        // Wake only the loop whose queue got work: a poll that finds nothing is a billed transaction on Azure.
        if (outgoing.Any(o => o.Queue == WorkQueues.Blocks))
        {
            Signal.Pulse();
        }

        if (outgoing.Any(o => o.Queue == WorkQueues.Orchestration))
        {
            OrchestrationSignal.Pulse();
        }

        if (outgoing.Any(o => o.Queue == WorkQueues.Alerts))
        {
            AlertSignal.Pulse();
        }

        RunChanged?.Invoke(this, new RunCommitted(decision.State, decision.Events));
    }
}

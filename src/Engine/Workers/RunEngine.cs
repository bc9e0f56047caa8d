using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>
/// The I/O around the decider: load a run's snapshot, decide, commit the events with the snapshot and the outgoing
/// work in one transaction, and retry on a concurrency conflict. Every change to a run goes through here, whether it
/// comes from a worker, a timer, the CLI or the API.
/// </summary>
public sealed class RunEngine
{
    private const int MaxConflictRetries = 20;
    private readonly ConcurrentDictionary<string, RunPlan> _plans = new(StringComparer.Ordinal);

    /// <summary>Creates the engine over one store.</summary>
    public RunEngine(IRunStore store, IWorkQueues queues, IArtifactStore artifacts, EngineOptions? options = null, TimeProvider? time = null)
    {
        Store = store;
        Queues = queues;
        Artifacts = artifacts;
        Options = options ?? new EngineOptions();
        Time = time ?? TimeProvider.System;
    }

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

    /// <summary>Cancellation sources of the blocks this process is running, for stopping them at once.</summary>
    internal RunningBlocks Running { get; } = new();

    /// <summary>Raised after each commit made by this process, with the run's new state.</summary>
    public event EventHandler<RunState>? RunChanged;

    /// <summary>
    /// Creates a run of <paramref name="plan"/> and queues its start. With an <paramref name="idempotencyKey"/>, a
    /// repeated request returns the id of the run the first one created.
    /// </summary>
    public async Task<string> StartRunAsync(
        RunPlan plan, IReadOnlyDictionary<string, JsonElement> parameters, string trigger, string? runId = null, string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (idempotencyKey is not null && await Store.FindRunByIdempotencyKeyAsync(idempotencyKey, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        runId ??= NewRunId(plan.Pipeline, Time.GetUtcNow());
        var hash = RunPlanner.Hash(plan.ToJson());
        _plans.TryAdd(hash, plan);
        var decision = RunDecider.Decide(plan, new RunState(), new RunRequested(Time.GetUtcNow(), runId, plan.Pipeline, hash, parameters, trigger));
        try
        {
            await CommitAsync(runId, 0, decision, new RunCommitExtras { Plan = plan, IdempotencyKey = idempotencyKey }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException) when (idempotencyKey is not null)
        {
            return await Store.FindRunByIdempotencyKeyAsync(idempotencyKey, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"run {runId} already exists");
        }

        return runId;
    }

    /// <summary>
    /// Decides <paramref name="input"/> against the run's current state and commits the result. A rejected input
    /// (a duplicate or stale report) changes nothing; its consumed message is simply deleted.
    /// </summary>
    public async Task<Decision> ApplyAsync(string runId, RunEvent input, RunCommitExtras? extras = null, CancellationToken cancellationToken = default)
    {
        extras ??= new RunCommitExtras();
        for (var conflicts = 0; ; conflicts++)
        {
            var stored = await Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
                ?? throw new RunNotFoundException(runId);
            var plan = await PlanAsync(stored.State.DefinitionHash, cancellationToken).ConfigureAwait(false);
            var decision = RunDecider.Decide(plan, stored.State, input);
            if (!decision.Accepted)
            {
                if (extras.Consumed is { } consumed)
                {
                    await Queues.CompleteAsync(consumed, cancellationToken).ConfigureAwait(false);
                }

                return decision;
            }

            try
            {
                await CommitAsync(runId, stored.Version, decision, extras, cancellationToken).ConfigureAwait(false);
                return decision;
            }
            catch (ConcurrencyConflictException) when (conflicts < MaxConflictRetries)
            {
                // Someone else committed first; their facts are in the store now, so decide again on top of them.
            }
        }
    }

    /// <summary>Asks to cancel a run: waiting blocks are cancelled at once, running ones get their CancellationToken.</summary>
    public Task<Decision> CancelAsync(string runId, string reason, CancellationToken cancellationToken = default) =>
        ApplyAsync(runId, new CancelRequested(Time.GetUtcNow(), reason), null, cancellationToken);

    /// <summary>Runs a failed or cancelled run again from its failed blocks, reusing the outputs of those that succeeded.</summary>
    public Task<Decision> RetryAsync(string runId, CancellationToken cancellationToken = default) =>
        ApplyAsync(runId, new RunRetryRequested(Time.GetUtcNow()), null, cancellationToken);

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

    private async Task CommitAsync(string runId, long version, Decision decision, RunCommitExtras extras, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var outgoing = decision.Commands.Where(WorkMessages.IsMessage).Select(c => WorkMessages.ForCommand(runId, decision.State, c, now)).ToList();
        await Store.CommitAsync(new RunCommit
        {
            RunId = runId,
            ExpectedVersion = version,
            Events = decision.Events,
            State = decision.State,
            Plan = extras.Plan,
            IdempotencyKey = extras.IdempotencyKey,
            Outgoing = outgoing,
            Consumed = extras.Consumed,
            DeadLetterReason = extras.DeadLetterReason,
            Logs = extras.Logs,
            Checkpoints = extras.Checkpoints,
            ConcurrencyLimit = extras.EnforceConcurrency ? (await PlanAsync(decision.State.DefinitionHash, cancellationToken).ConfigureAwait(false)).Concurrency : null,
        }, cancellationToken).ConfigureAwait(false);

        foreach (var stop in decision.Commands.OfType<StopRunningBlocks>())
        {
            Running.Stop(runId, stop.Keys);
        }

        if (outgoing.Count > 0)
        {
            Signal.Pulse();
        }

        RunChanged?.Invoke(this, decision.State);
    }

    /// <summary>A readable, sortable, unique id: pipeline, UTC time, random suffix.</summary>
    internal static string NewRunId(string pipeline, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{pipeline}-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
}

/// <summary>What a commit carries besides the decision.</summary>
public sealed record RunCommitExtras
{
    /// <summary>The plan, when creating a run.</summary>
    public RunPlan? Plan { get; init; }

    /// <summary>The idempotency key, when creating a run.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The message the decision consumes.</summary>
    public LeasedWork? Consumed { get; init; }

    /// <summary>Dead-letter the consumed message with this reason instead of deleting it.</summary>
    public string? DeadLetterReason { get; init; }

    /// <summary>Block log lines.</summary>
    public IReadOnlyList<LogLine> Logs { get; init; } = [];

    /// <summary>Commit only if the pipeline's <c>concurrency</c> limit leaves a slot (used when starting a run).</summary>
    public bool EnforceConcurrency { get; init; }

    /// <summary>Checkpoint values set by a succeeded block.</summary>
    public IReadOnlyDictionary<string, JsonElement> Checkpoints { get; init; } = new Dictionary<string, JsonElement>();
}

/// <summary>No run has the given id.</summary>
public sealed class RunNotFoundException : Exception
{
    /// <summary>Creates the exception for <paramref name="runId"/>.</summary>
    public RunNotFoundException(string runId)
        : base($"there is no run '{runId}'; `duraflow runs list` shows the recent ones")
    {
    }

    /// <summary>Creates the exception.</summary>
    public RunNotFoundException()
        : base("there is no such run")
    {
    }

    /// <summary>Creates the exception.</summary>
    public RunNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

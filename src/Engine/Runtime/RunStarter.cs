using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// The one place runs are created: the HTTP API, <c>duraflow run</c>, schedules and blob events all come here with a
/// validated pipeline, resolved parameters, a trigger and an idempotency key. It pins the pipeline's plan (once per
/// validated pipeline: a validation that did not change hands the same plan and hash to every start), names the run,
/// and hands it to the runtime.
/// </summary>
internal sealed class RunStarter
{
    private readonly IRunRuntime _runtime;
    private readonly TimeProvider _time;
    private readonly ConditionalWeakTable<ValidatedPipeline, PinnedPlan> _plans = [];

    /// <summary>Creates a starter that hands runs to <paramref name="runtime"/>.</summary>
    public RunStarter(IRunRuntime runtime, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        _runtime = runtime;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Starts the run <paramref name="request"/> asks for, or returns the one its idempotency key already started.</summary>
    /// <exception cref="ArgumentException">The pipeline is not valid, or the parameters were resolved for another pipeline.</exception>
    public Task<StartedRun> StartAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pinned = _plans.GetValue(request.Pipeline, PinnedPlan.Of);
        if (request.Parameters.Pipeline != pinned.Plan.Pipeline)
        {
            throw new ArgumentException(
                $"the parameters were resolved for pipeline '{request.Parameters.Pipeline}', not '{pinned.Plan.Pipeline}'", nameof(request));
        }

        var runId = request.RunId ?? NewRunId(pinned.Plan.Pipeline, _time.GetUtcNow());
        return _runtime.StartAsync(new NewRun(runId, pinned.Plan, pinned.Hash, request.Parameters, request.Trigger, request.IdempotencyKey), cancellationToken);
    }

    /// <summary>A readable, sortable, unique id: pipeline, UTC time, random suffix.</summary>
    internal static string NewRunId(string pipeline, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{pipeline}-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");

    // The plan and its hash, made once per validated pipeline (planning checks validity and throws for an invalid one).
    private sealed record PinnedPlan(Runs.RunPlan Plan, string Hash)
    {
        public static PinnedPlan Of(ValidatedPipeline pipeline)
        {
            var plan = RunPlanner.Plan(pipeline);
            return new PinnedPlan(plan, RunPlanner.Hash(plan.ToJson()));
        }
    }
}

using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Runtime;

/// <summary>A run as <see cref="RunStarter"/> hands it to a runtime: everything the runtime needs, nothing to look up.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Plan">The pinned plan.</param>
/// <param name="PlanHash">The plan's hash (<see cref="RunPlanner.Hash"/>), which names it in the store.</param>
/// <param name="Parameters">The resolved parameters.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="IdempotencyKey">The request's idempotency key, or null.</param>
internal sealed record NewRun(string RunId, RunPlan Plan, string PlanHash, ResolvedParameters Parameters, RunTrigger Trigger, string? IdempotencyKey);

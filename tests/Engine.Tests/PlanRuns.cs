using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;

namespace Duraflow.Engine.Tests;

/// <summary>
/// Starts runs of hand-made plans, for tests and benchmarks of the engine's mechanics that have no pipeline.yaml:
/// through the duraflow runtime, as <see cref="RunStarter"/> hands a run to it, minus validation and planning.
/// Products start runs only through RunStarter (tests/Architecture.Tests holds them to it).
/// </summary>
internal static class PlanRuns
{
    private static readonly Dictionary<string, JsonElement> None = new(StringComparer.Ordinal);

    /// <summary>A starter over the duraflow runtime of <paramref name="committer"/>, for tests of triggers.</summary>
    public static RunStarter Starter(this RunCommitter committer) => new(new DuraflowRuntime(committer), committer.Time);

    /// <summary>Starts a run of <paramref name="plan"/>; returns its id (that of the existing run, for a repeated key).</summary>
    public static async Task<string> StartRunAsync(
        this RunCommitter committer, RunPlan plan, IReadOnlyDictionary<string, JsonElement> parameters, string trigger, string? runId = null,
        string? idempotencyKey = null, IReadOnlyDictionary<string, JsonElement>? triggerValues = null, CancellationToken cancellationToken = default)
    {
        var run = NewRun(committer, plan, parameters, trigger, runId, idempotencyKey, triggerValues);
        return (await new DuraflowRuntime(committer).StartAsync(run, cancellationToken).ConfigureAwait(false)).RunId;
    }

    /// <summary>The new run of <paramref name="plan"/> a runtime is handed; a fresh id unless <paramref name="runId"/> is given.</summary>
    public static NewRun NewRun(
        RunCommitter committer, RunPlan plan, IReadOnlyDictionary<string, JsonElement> parameters, string trigger, string? runId = null,
        string? idempotencyKey = null, IReadOnlyDictionary<string, JsonElement>? triggerValues = null) =>
        new(
            runId ?? RunStarter.NewRunId(plan.Pipeline, committer.Time.GetUtcNow()), plan, RunPlanner.Hash(plan.ToJson()),
            new ResolvedParameters(plan.Pipeline, parameters), new RunTrigger(trigger, triggerValues ?? None), idempotencyKey);
}

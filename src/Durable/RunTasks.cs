using Microsoft.DurableTask;

namespace Duraflow.Durable;

/// <summary>Registers the orchestrator and the activities of a run under their durable names, for a worker hosted here.</summary>
internal static class RunTasks
{
    /// <summary>Adds them to <paramref name="registry"/>; <paramref name="stopping"/> fires when the worker shuts down.</summary>
    public static void Register(DurableTaskRegistry registry, RunActivities activities, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(activities);
        registry.AddOrchestratorFunc<RunOrchestrationInput, RunOrchestrationOutput>(
            DurableNames.Orchestrator, (context, input) => RunOrchestration.RunAsync(context, input!));
        registry.AddActivityFunc<BlockActivityInput, BlockActivityOutput>(
            DurableNames.BlockActivity, (_, input) => activities.RunBlockAsync(input!, stopping));
        registry.AddActivityFunc<RecordInput, bool>(
            DurableNames.RecordActivity, (_, input) => activities.RecordAsync(input!, stopping));
    }
}

using Duraflow.Api;
using Duraflow.Durable;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Duraflow.Functions;

/// <summary>
/// The Durable runtime under the Functions host: its orchestrator and its two activities as Durable Functions, under
/// the names the runtime schedules them by (<see cref="DurableNames"/>). The host's Durable Task extension keeps their
/// histories and work in the task hub host.json names; each function hands its trigger to the same code the in-process
/// host registers (<see cref="RunOrchestration"/>, <see cref="RunActivities"/>), so a run behaves alike on both.
/// </summary>
/// <param name="sharedEngine">The app's engine: the run store the activities record to, and the block runner.</param>
/// <param name="durableClients">Where the block activity offers its durable client, for the child runs of durable runs.</param>
internal sealed class DurableFunctions(SharedEngine sharedEngine, DurableClientSlot durableClients)
{
    /// <summary>
    /// One round of a run. Deterministic, as replay requires (<see cref="RunOrchestration"/>): everything it needs is
    /// in its input and its history, and its I/O goes through the activities.
    /// </summary>
    /// <param name="context">The orchestration; its input is the round's <see cref="RunOrchestrationInput"/>.</param>
    /// <exception cref="InvalidOperationException">The orchestration was started without an input.</exception>
    [Function(DurableNames.Orchestrator)]
    public static Task<RunOrchestrationOutput> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<RunOrchestrationInput>()
            ?? throw new InvalidOperationException($"orchestration {context.InstanceId} of {DurableNames.Orchestrator} has no input");
        return RunOrchestration.RunAsync(context, input);
    }

    /// <summary>Runs one block attempt and reports its outcome.</summary>
    /// <param name="input">Which attempt.</param>
    /// <param name="context">The invocation; its token fires when the host shuts the worker down or the function times out.</param>
    /// <param name="client">
    /// Offered to the app's slot: a block that runs another pipeline starts its child on the durable runtime, and an
    /// instance that only runs activities gets no other invocation to offer one.
    /// </param>
    [Function(DurableNames.BlockActivity)]
    public async Task<BlockActivityOutput> RunBlockAsync([ActivityTrigger] BlockActivityInput input, FunctionContext context, [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(context);
        durableClients.Offer(client);
        var activities = await ActivitiesAsync(context.CancellationToken);
        return await activities.RunBlockAsync(input, context.CancellationToken);
    }

    /// <summary>Records the orchestrator's decisions in the run store; false when a start found the pipeline full.</summary>
    /// <param name="input">The decisions.</param>
    /// <param name="context">The invocation; its token fires when the host shuts the worker down or the function times out.</param>
    [Function(DurableNames.RecordActivity)]
    public async Task<bool> RecordAsync([ActivityTrigger] RecordInput input, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var activities = await ActivitiesAsync(context.CancellationToken);
        return await activities.RecordAsync(input, context.CancellationToken);
    }

    // Cheap to make: it only holds the engine's committer and block runner, which the shared engine keeps.
    private async Task<RunActivities> ActivitiesAsync(CancellationToken cancellationToken)
    {
        var engine = await sharedEngine.GetAsync(cancellationToken);
        return new RunActivities(engine.Committer, engine.Attempts);
    }
}

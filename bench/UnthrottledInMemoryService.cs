using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.Logging;

namespace Duraflow.Bench;

/// <summary>
/// The in-process test host's in-memory provider, with work-item limits high enough that the sidecar's dispatcher never
/// waits; the worker's own limit (its activity parallelism) is what bounds the work. The provider allows as many work
/// items in flight as the machine has cores, and the dispatcher, at that limit, sleeps 500 ms before it looks again: on
/// 2 cores a fan-out's activities ran four a second, 250 ms each at 50 branches as at 1,000 (the slowness
/// environment.md §10 put down to replay), so the row measured that sleep instead of Durable. The limits are
/// re-implemented here because the provider's own properties are not virtual.
/// </summary>
internal sealed class UnthrottledInMemoryService(ILoggerFactory logs) : InMemoryOrchestrationService(logs), IOrchestrationService
{
    private const int InFlight = 100_000;

    int IOrchestrationService.MaxConcurrentTaskActivityWorkItems => InFlight;

    int IOrchestrationService.MaxConcurrentTaskOrchestrationWorkItems => InFlight;
}

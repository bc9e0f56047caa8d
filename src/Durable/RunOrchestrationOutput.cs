namespace Duraflow.Durable;

/// <summary>How a round of a run ended, as the orchestration's output (and its custom status while it runs): small by design.</summary>
/// <param name="Status">The run's status, snake_case.</param>
/// <param name="Done">Blocks and items finished.</param>
/// <param name="Total">Blocks and items in the run.</param>
/// <param name="Note">Why the run failed, or what it waits for; null when there is nothing to say.</param>
internal sealed record RunOrchestrationOutput(string Status, int Done, int Total, string? Note);

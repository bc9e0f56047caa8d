namespace Duraflow.Engine.Projects;

/// <summary>Which runtime carries a project's runs out (docs/runtimes.md).</summary>
internal enum RuntimeKind
{
    /// <summary>Duraflow's own engine: workers on the run store's queues.</summary>
    Duraflow,

    /// <summary>Durable Task: an orchestration per run, as Durable Functions runs it.</summary>
    Durable,
}

using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Validation;

/// <summary>
/// Adds the project's default alerts (duraflow.yaml's <c>alerts.send</c>) before a pipeline's own, unless the pipeline
/// says <c>alerts: { inherit: false }</c>. Done once, where a pipeline is validated in its project, so that every path
/// to a run (the CLI, the API, schedules, events, child runs) pins the same alerts.
/// </summary>
internal static class ProjectAlerts
{
    public static ValidatedPipeline Apply(ValidatedPipeline pipeline, IReadOnlyList<AlertDefinition> defaults)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(defaults);
        return defaults.Count == 0 || pipeline.Definition is not { InheritAlerts: true } definition
            ? pipeline
            : pipeline with { Definition = definition with { Alerts = [.. defaults, .. definition.Alerts] } };
    }
}

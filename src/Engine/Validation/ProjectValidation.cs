using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Validation;

/// <summary>The outcome of validating a path: every pipeline found and every problem, project-wide ones included.</summary>
/// <param name="Pipelines">Each pipeline validated, in folder order.</param>
/// <param name="Diagnostics">All diagnostics: project settings, each pipeline's, and cross-pipeline ones.</param>
internal sealed record ProjectValidation(IReadOnlyList<ValidatedPipeline> Pipelines, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>
    /// duraflow.yaml's <c>timezone</c> as this validation read it, for schedules that name none; null when the path is
    /// in no project. Hosts that validate again on each edit thus tick schedules in the zone of the files validated.
    /// </summary>
    public string? TimeZone { get; init; }

    /// <summary>True when there is at least one pipeline and no error.</summary>
    public bool IsValid => Pipelines.Count > 0 && !Diagnostics.Any(d => d.IsError);
}

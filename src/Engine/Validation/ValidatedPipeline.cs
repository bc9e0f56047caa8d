using Duraflow.Engine.Dag;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Validation;

/// <summary>A pipeline after loading and validation: its definition, its graph and every problem found.</summary>
/// <param name="DisplayPath">How the pipeline.yaml is named to the user.</param>
/// <param name="Definition">The definition, or null when the file could not be read as a pipeline at all.</param>
/// <param name="Graph">The block graph, or null when there is no definition.</param>
/// <param name="Diagnostics">Every problem, sorted by location.</param>
internal sealed record ValidatedPipeline(string DisplayPath, PipelineDefinition? Definition, PipelineGraph? Graph, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when the pipeline can run: it was read and has no errors.</summary>
    public bool IsValid => Definition is not null && Graph is not null && !Diagnostics.Any(d => d.IsError);
}

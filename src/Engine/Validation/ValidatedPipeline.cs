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
    /// <summary>
    /// The text of every file a block uses (scripts, SQL), by path relative to the pipeline folder, exactly as
    /// validation read it: a run pins these texts, so what runs is what was validated, even if a file changes after.
    /// </summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The first block that reads or sets a checkpoint, or null: such a pipeline runs one run at a time (a
    /// <c>concurrency</c> above 1 is refused). Found when validated, #load helpers included.
    /// </summary>
    public string? CheckpointUser { get; init; }

    /// <summary>True when the pipeline can run: it was read and has no errors.</summary>
    public bool IsValid => Definition is not null && Graph is not null && !Diagnostics.Any(d => d.IsError);
}

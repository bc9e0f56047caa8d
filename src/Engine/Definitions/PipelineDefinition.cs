namespace Duraflow.Engine.Definitions;

/// <summary>A pipeline as declared in <c>pipelines/NAME/pipeline.yaml</c>.</summary>
internal sealed record PipelineDefinition
{
    /// <summary>The pipeline name, unique in its project.</summary>
    public required string Name { get; init; }

    /// <summary>Where the pipeline's name is written.</summary>
    public required Diagnostics.SourceLocation Location { get; init; }

    /// <summary>The full path of the pipeline.yaml this was read from.</summary>
    public required string SourceFile { get; init; }

    /// <summary>What the pipeline does, for people.</summary>
    public string? Description { get; init; }

    /// <summary>Free-form labels for filtering.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Declared run parameters, in declaration order.</summary>
    public IReadOnlyList<ParameterDefinition> Parameters { get; init; } = [];

    /// <summary>The default retry policy of every block.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>The longest a whole run may take; null for no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The most runs of this pipeline that may be active at once; null for no limit.</summary>
    public int? Concurrency { get; init; }

    /// <summary>The block whose output is the pipeline's when another pipeline runs it (<c>output:</c>), or null.</summary>
    public DefinitionReference? Output { get; init; }

    /// <summary>Named limits of duraflow.yaml that every block of the pipeline takes while it runs, with its own.</summary>
    public IReadOnlyList<DefinitionReference> Limits { get; init; } = [];

    /// <summary>The time after which a run still going raises a <c>sla_missed</c> alert; null for none.</summary>
    public TimeSpan? Sla { get; init; }

    /// <summary>The blocks, in declaration order.</summary>
    public required IReadOnlyList<BlockDefinition> Blocks { get; init; }

    /// <summary>What starts runs.</summary>
    public IReadOnlyList<TriggerDefinition> Triggers { get; init; } = [];

    /// <summary>Who is told about runs.</summary>
    public IReadOnlyList<AlertDefinition> Alerts { get; init; } = [];

    /// <summary>
    /// Whether the project's default alerts (duraflow.yaml's <c>alerts.send</c>) are sent too; false with
    /// <c>alerts: { inherit: false }</c>. Once validated in a project, <see cref="Alerts"/> holds them already.
    /// </summary>
    public bool InheritAlerts { get; init; } = true;

    /// <summary>Template references in alerts (block references there read outputs but add no dependency).</summary>
    public IReadOnlyList<DefinitionReference> TemplateReferences { get; init; } = [];

    /// <summary>The folder holding pipeline.yaml; <c>uses:</c> paths are relative to it.</summary>
    public string Directory => Path.GetDirectoryName(SourceFile) ?? ".";
}

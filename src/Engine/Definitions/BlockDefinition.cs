using Duraflow.Blocks.Catalog;
using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Definitions;

/// <summary>One block of a pipeline, as declared in pipeline.yaml.</summary>
internal sealed record BlockDefinition
{
    /// <summary>The block name, unique in its pipeline.</summary>
    public required string Name { get; init; }

    /// <summary>Where the block's name is written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>What code the block runs.</summary>
    public required BlockUses Uses { get; init; }

    /// <summary>Where the <c>uses:</c> value is written.</summary>
    public required SourceLocation UsesLocation { get; init; }

    /// <summary>What the block does, for people.</summary>
    public string? Description { get; init; }

    /// <summary>The names under <c>upstream:</c>. The full upstream set adds every referenced block; see the graph.</summary>
    public IReadOnlyList<DefinitionReference> ExplicitUpstream { get; init; } = [];

    /// <summary>The block's config: strings, longs, doubles, bools, nulls, lists and string-keyed maps.</summary>
    public IReadOnlyDictionary<string, object?> With { get; init; } = new Dictionary<string, object?>();

    /// <summary>Where each key of <c>with</c> is written, for errors about one setting.</summary>
    public IReadOnlyDictionary<string, SourceLocation> WithLocations { get; init; } = new Dictionary<string, SourceLocation>();

    /// <summary>
    /// The io_config connection named by <c>with: { connection: NAME }</c>, where the name is written; null when the
    /// block names none or names it with a template (then it is known only at run time).
    /// </summary>
    public DefinitionReference? ConnectionReference { get; init; }

    /// <summary>
    /// A file block's local <c>with.path</c> as written, where written, when it is literal (no template) and the block
    /// names no connection; validation checks it stays in the project. Null otherwise (a templated path is checked
    /// when the block runs).
    /// </summary>
    public DefinitionReference? LocalPath { get; init; }

    /// <summary>Template references found in <c>with</c>, <c>when</c>, <c>cache.key</c> and <c>repeat.until</c>.</summary>
    public IReadOnlyList<DefinitionReference> TemplateReferences { get; init; } = [];

    /// <summary>The effective retry policy (pipeline default with the block's keys laid over it).</summary>
    public required RetryPolicy Retry { get; init; }

    /// <summary>The longest one attempt may take; null for no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long after it started the block should be done; past it, <c>sla_missed</c> is raised once (<c>sla</c>).</summary>
    public TimeSpan? Sla { get; init; }

    /// <summary>A template expression; when it is false the block is skipped.</summary>
    public string? When { get; init; }

    /// <summary>True when the block's output is a list and each downstream block runs once per item.</summary>
    public bool FanOut { get; init; }

    /// <summary>How the block's output is reused; null for no caching.</summary>
    public CachePolicy? Cache { get; init; }

    /// <summary>How the block runs again until its output satisfies a condition (<c>repeat:</c>); null to run once.</summary>
    public RepeatPolicy? Repeat { get; init; }

    /// <summary>Named limits of duraflow.yaml the block takes while it runs (<c>limits:</c>), where each is written.</summary>
    public IReadOnlyList<DefinitionReference> Limits { get; init; } = [];
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Duraflow.Blocks.Catalog;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Runs;

/// <summary>One block of a <see cref="RunPlan"/>.</summary>
internal sealed record BlockPlan
{
    /// <summary>The block's name.</summary>
    public required string Name { get; init; }

    /// <summary>What the block runs, parsed from its <c>uses</c> (stored as the text, such as <c>script:blocks/clean.csx</c>).</summary>
    [JsonConverter(typeof(BlockUsesJsonConverter))]
    public required BlockUses Uses { get; init; }

    /// <summary>The blocks it depends on.</summary>
    public IReadOnlyList<string> Upstream { get; init; } = [];

    /// <summary>True when its output is a list whose items each run the blocks mapped over it.</summary>
    public bool FanOut { get; init; }

    /// <summary>The fan-out block this block runs once per item of, or null.</summary>
    public string? MappedOver { get; init; }

    /// <summary>The <c>when</c> condition, or null.</summary>
    public string? When { get; init; }

    /// <summary>The block's <c>with</c> settings, as JSON.</summary>
    public JsonElement? With { get; init; }

    /// <summary>The effective retry policy.</summary>
    public required RetryPolicy Retry { get; init; }

    /// <summary>The time limit of one attempt, or null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long after its first attempt of a round started the block should be done (<c>sla</c>), or null.</summary>
    public TimeSpan? Sla { get; init; }

    /// <summary>How the block reuses an earlier run's output (<c>cache</c>), or null when it always runs.</summary>
    public CachePolicy? Cache { get; init; }

    /// <summary>How the block runs again until its output satisfies a condition, or null to run once.</summary>
    public RepeatPolicy? Repeat { get; init; }

    /// <summary>The named limits it takes while it runs (its own and its pipeline's), in name order; null for none.</summary>
    public IReadOnlyList<string>? Limits { get; init; }

    /// <summary>True when a skipped upstream block skips this one too (it has no <c>when</c> of its own to decide).</summary>
    [JsonIgnore]
    public bool SkipsWithUpstream => When is null;
}

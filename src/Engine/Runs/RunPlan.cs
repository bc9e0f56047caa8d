using System.Text.Json;
using System.Text.Json.Serialization;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Runs;

/// <summary>
/// The pinned, self-contained form of a pipeline that a run executes: blocks in topological order with their
/// dependencies and policies, plus the text of every file the blocks use. Stored once per hash, so a run keeps
/// executing the definition it started with even if the files on disk change.
/// </summary>
internal sealed record RunPlan
{
    private Dictionary<string, BlockPlan>? _byName;
    private Dictionary<string, List<BlockPlan>>? _mappedOver;
    private Dictionary<string, int>? _positions;
    private Dictionary<string, List<BlockPlan>>? _downstream;
    private Dictionary<string, string>? _parameterTypeNames;

    /// <summary>Creates an empty plan; the required members are set by the initializer.</summary>
    public RunPlan()
    {
    }

    // What `with` uses: the members are copied, the lookups built from the old blocks are not, since they may be stale.
    private RunPlan(RunPlan original)
    {
        Pipeline = original.Pipeline;
        Blocks = original.Blocks;
        Timeout = original.Timeout;
        Concurrency = original.Concurrency;
        Output = original.Output;
        ParameterTypes = original.ParameterTypes;
        SecretParameters = original.SecretParameters;
        Files = original.Files;
        Alerts = original.Alerts;
        Sla = original.Sla;
    }

    /// <summary>The pipeline's name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The blocks, upstream before downstream.</summary>
    public required IReadOnlyList<BlockPlan> Blocks { get; init; }

    /// <summary>The run's time limit, or null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long after its start the run should have ended (<c>sla</c>); past it, <c>sla_missed</c> is raised once. Null for none.</summary>
    public TimeSpan? Sla { get; init; }

    /// <summary>How many runs of the pipeline may run at once, or null for no limit.</summary>
    public int? Concurrency { get; init; }

    /// <summary>
    /// The block whose output is the run's, for a parent that runs this pipeline as a child: its <c>output:</c>, else
    /// its only final block; null when it has several final blocks and no <c>output:</c>.
    /// </summary>
    public string? Output { get; init; }

    /// <summary>The declared parameters' types, by name (stored as the names pipeline.yaml uses: <c>date</c>, <c>int</c>).</summary>
    public IReadOnlyDictionary<string, ParameterType> ParameterTypes { get; init; } = new Dictionary<string, ParameterType>();

    /// <summary>The parameters declared <c>secret: true</c>, or null when none (so plans without them hash as before).</summary>
    public IReadOnlyList<string>? SecretParameters { get; init; }

    /// <summary>The text of each file a block uses (scripts, SQL), by path relative to the pipeline folder.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>The alerts, by position (their index is part of each delivery's key), or null when there are none (so
    /// plans without them hash as before).</summary>
    public IReadOnlyList<AlertPlan>? Alerts { get; init; }

    /// <summary>The declared parameters' type names, by name, as blocks see them (<see cref="Blocks.BlockContext.ParameterTypes"/>).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string> ParameterTypeNames =>
        _parameterTypeNames ??= ParameterTypes.ToDictionary(p => p.Key, p => ParameterValues.NameOf(p.Value), StringComparer.Ordinal);

    /// <summary>The block called <paramref name="name"/>.</summary>
    public BlockPlan Block(string name) =>
        ByName.TryGetValue(name, out var block)
            ? block
            : throw new KeyNotFoundException($"the run's pinned definition has no block '{name}'");

    /// <summary>True when the plan has a block called <paramref name="name"/>.</summary>
    public bool Contains(string name) => ByName.ContainsKey(name);

    private Dictionary<string, BlockPlan> ByName => _byName ??= Blocks.ToDictionary(b => b.Name, StringComparer.Ordinal);

    /// <summary>The blocks that run once per item of fan-out block <paramref name="fanOut"/>.</summary>
    public IReadOnlyList<BlockPlan> MappedOver(string fanOut)
    {
        _mappedOver ??= Blocks.Where(b => b.MappedOver is not null)
            .GroupBy(b => b.MappedOver!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return _mappedOver.TryGetValue(fanOut, out var blocks) ? blocks : [];
    }

    /// <summary>Where block <paramref name="name"/> stands in <see cref="Blocks"/> (upstream blocks stand earlier).</summary>
    public int PositionOf(string name)
    {
        _positions ??= Blocks.Select((b, i) => (b.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        return _positions.TryGetValue(name, out var position)
            ? position
            : throw new KeyNotFoundException($"the run's pinned definition has no block '{name}'");
    }

    /// <summary>The blocks that list <paramref name="name"/> as upstream.</summary>
    public IReadOnlyList<BlockPlan> Downstream(string name)
    {
        _downstream ??= Blocks.SelectMany(b => b.Upstream.Select(u => (Upstream: u, Block: b)))
            .GroupBy(p => p.Upstream, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Block).ToList(), StringComparer.Ordinal);
        return _downstream.TryGetValue(name, out var blocks) ? blocks : [];
    }

    /// <summary>The canonical JSON of the plan; its hash pins a run's definition.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, EngineJson.Options);

    /// <summary>Reads a plan written by <see cref="ToJson"/>.</summary>
    public static RunPlan FromJson(string json) =>
        JsonSerializer.Deserialize<RunPlan>(json, EngineJson.Options) ?? throw new JsonException("the stored plan is empty");
}

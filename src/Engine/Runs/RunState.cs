using System.Text.Json;

namespace Duraflow.Engine.Runs;

/// <summary>
/// The current state of a run: the fold of its events, stored as a snapshot beside them so progress never needs a
/// replay. Mutable on purpose: <see cref="RunEvolver"/> applies events to it in place, and the decider works on a
/// <see cref="Clone"/>, so a stored snapshot is never changed behind the store's back.
/// </summary>
public sealed class RunState
{
    /// <summary>The run's id.</summary>
    public string RunId { get; set; } = "";

    /// <summary>How many events have been applied: the run's version in the store.</summary>
    public long Version { get; set; }

    /// <summary>The pipeline's name.</summary>
    public string Pipeline { get; set; } = "";

    /// <summary>The hash of the pinned definition.</summary>
    public string DefinitionHash { get; set; } = "";

    /// <summary>What started the run.</summary>
    public string Trigger { get; set; } = "";

    /// <summary>What the trigger knows (<c>{{ trigger.* }}</c>): a schedule's time, a blob event's blob.</summary>
    public Dictionary<string, JsonElement> TriggerValues { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The run's status.</summary>
    public RunStatus Status { get; set; }

    /// <summary>The parameter values.</summary>
    public Dictionary<string, JsonElement> Parameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When the run was requested.</summary>
    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>When it started (got its concurrency slot).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Why it failed, or why it is stopping.</summary>
    public string? Error { get; set; }

    /// <summary>0 for the first round; one more each time the run is retried.</summary>
    public int Round { get; set; }

    /// <summary>True while stopping because of the run timeout (the end status is then failed, not cancelled).</summary>
    public bool TimedOut { get; set; }

    /// <summary>Blocks and fan-out items by key. A block that runs per item also has an entry summing up its items.</summary>
    public SortedDictionary<string, BlockRunState> Blocks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A deep copy.</summary>
    public RunState Clone()
    {
        var copy = (RunState)MemberwiseClone();
        copy.Parameters = new Dictionary<string, JsonElement>(Parameters, StringComparer.Ordinal);
        copy.TriggerValues = new Dictionary<string, JsonElement>(TriggerValues, StringComparer.Ordinal);
        copy.Blocks = new SortedDictionary<string, BlockRunState>(StringComparer.Ordinal);
        foreach (var (key, block) in Blocks)
        {
            copy.Blocks.Add(key, block.Clone());
        }

        return copy;
    }

    /// <summary>The state of a block or item; throws when the key is unknown.</summary>
    public BlockRunState Block(string key) =>
        Blocks.TryGetValue(key, out var block) ? block : throw new KeyNotFoundException($"run {RunId} has no block '{key}'");

    /// <summary>The snapshot as stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, EngineJson.Options);

    /// <summary>Reads a stored snapshot.</summary>
    public static RunState FromJson(string json) =>
        JsonSerializer.Deserialize<RunState>(json, EngineJson.Options) ?? throw new JsonException("the stored run snapshot is empty");
}

/// <summary>The state of one block or one fan-out item within a run.</summary>
public sealed class BlockRunState
{
    /// <summary>Its status.</summary>
    public BlockStatus Status { get; set; }

    /// <summary>The latest attempt number; 0 before the first.</summary>
    public int Attempt { get; set; }

    /// <summary>The first attempt of the current round (attempts of earlier rounds do not count against the retry policy).</summary>
    public int FirstAttemptOfRound { get; set; } = 1;

    /// <summary>When the latest attempt started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it reached its current terminal status.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>When the next attempt is due, while retrying.</summary>
    public DateTimeOffset? RetryAt { get; set; }

    /// <summary>The latest failure, or why it was skipped.</summary>
    public string? Error { get; set; }

    /// <summary>Its output's reference: an artifact key, or a small JSON output inline (see <see cref="OutputReference"/>).</summary>
    public string? Output { get; set; }

    /// <summary>For a fan-out block: how many items it produced. For a block mapped over one: how many instances it has.</summary>
    public int? Items { get; set; }

    /// <summary>What its successful attempt measured (rows returned or written, duration of its query), if anything.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; set; }

    /// <summary>A copy.</summary>
    public BlockRunState Clone() => (BlockRunState)MemberwiseClone();
}

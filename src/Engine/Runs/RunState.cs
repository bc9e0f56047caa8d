using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Duraflow.Engine.Runs;

/// <summary>
/// The current state of a run: the fold of its events, stored as a snapshot beside them so progress never needs a
/// replay. Mutable on purpose: <see cref="RunEvolver"/> applies events to it in place, and the decider works on a
/// <see cref="Clone"/>, so a stored snapshot is never changed behind the store's back. Blocks are copied on write
/// (see <see cref="Blocks"/>), so a copy stays cheap however many blocks the run has.
/// </summary>
internal sealed class RunState
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

    /// <summary>
    /// Which runtime executes the run: null for the engine's own (<c>duraflow</c>), <c>durable</c> for Durable Task. Cancel
    /// and retry go to the runtime the run started on, whatever the command's default.
    /// </summary>
    public string? Runtime { get; set; }

    /// <summary>The run's status.</summary>
    public RunStatus Status { get; set; }

    /// <summary>
    /// Checkpoint values its blocks set, by name (the last set wins), kept here until the run succeeds: the commit that
    /// ends it stores them, so a later block's failure does not move a watermark past rows nobody finished. Null for none.
    /// </summary>
    public Dictionary<string, StagedCheckpoint>? StagedCheckpoints { get; set; }

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

    /// <summary>For a child run: the run and block that started it; null for a run started otherwise.</summary>
    public ParentRun? Parent { get; set; }

    /// <summary>
    /// How many blocks and fan-out items are <see cref="BlockStatus.Waiting"/>, kept as they change so that a listing
    /// can say which runs wait without reading their blocks.
    /// </summary>
    public int WaitingBlocks { get; set; }

    /// <summary>
    /// Counts <see cref="WaitingBlocks"/> afresh from <see cref="Blocks"/>: stores call it on every run they read, so a
    /// snapshot written before the count existed (or by an older writer) is counted right from then on. The summary of
    /// a block that runs per item is not counted on top of its items.
    /// </summary>
    public void RecountWaitingBlocks() =>
        WaitingBlocks = Blocks.Count(b => b.Value.Status == BlockStatus.Waiting && !Blocks.ContainsKey(InstanceKeys.Of(b.Key, 0)));

    /// <summary>Running, with at least one block waiting (for a signal, an approval, a timer, a child run or a limit).</summary>
    [JsonIgnore]
    public bool IsWaiting => Status == RunStatus.Running && WaitingBlocks > 0;

    /// <summary>The signals sent to the run, in the order received; each is taken by at most one waiting block.</summary>
    public ImmutableList<ReceivedSignal> Signals { get; set; } = [];

    /// <summary>For a scheduled run with <c>start_sla</c>: when it should have started; else null.</summary>
    public DateTimeOffset? StartBy { get; set; }

    /// <summary>What missed its SLA (<see cref="Runs.SlaMissed.Subject"/>), so each is raised once however often its timer fires.</summary>
    public ImmutableList<string> SlasMissed { get; set; } = [];

    /// <summary>Blocks and fan-out items by key. A block that runs per item also has an entry summing up its items.</summary>
    /// <remarks>
    /// The entries are shared between a state and its <see cref="Clone"/>s (copy-on-write): whoever changes a block
    /// takes it through <see cref="Edit"/>, which copies it first. So a copy costs the map's recent changes (see
    /// <see cref="BlockDictionary"/>), not one object per block, and the blocks a decision touched are known without comparing.
    /// </remarks>
    public BlockDictionary Blocks { get; set; } = new();

    /// <summary>
    /// The blocks added or changed through <see cref="Edit"/> and <see cref="AddBlock"/> since this state was made by
    /// <see cref="Clone"/>, and the ones removed; null on a state that was not cloned (read or built from scratch),
    /// where nothing says which blocks are new. A store writes only these.
    /// </summary>
    [JsonIgnore]
    public BlockChanges? Changes { get; private set; }

    /// <summary>A copy whose changes do not reach this state; the block entries are shared until edited.</summary>
    public RunState Clone()
    {
        var copy = (RunState)MemberwiseClone();
        copy.Parameters = new Dictionary<string, JsonElement>(Parameters, StringComparer.Ordinal);
        copy.TriggerValues = new Dictionary<string, JsonElement>(TriggerValues, StringComparer.Ordinal);
        copy.StagedCheckpoints = StagedCheckpoints is null ? null : new Dictionary<string, StagedCheckpoint>(StagedCheckpoints, StringComparer.Ordinal);
        copy.Blocks = Blocks.Copy();
        copy.Changes = new BlockChanges();
        return copy;
    }

    /// <summary>
    /// The block or item <paramref name="key"/>, ready to change: on a cloned state the first edit copies it, so the
    /// state it was cloned from (perhaps a stored or cached snapshot) keeps the original.
    /// </summary>
    public BlockRunState Edit(string key)
    {
        var block = Block(key);
        if (Changes is null || Changes.Written.Contains(key))
        {
            return block;
        }

        var copy = block.Clone();
        Blocks.Set(key, copy);
        Changes.Written.Add(key);
        return copy;
    }

    /// <summary>Adds (or replaces) block or item <paramref name="key"/>, new and pending.</summary>
    public void AddBlock(string key)
    {
        Blocks.Set(key, new BlockRunState());
        Changes?.Removed.Remove(key);
        Changes?.Written.Add(key);
    }

    /// <summary>Removes block or item <paramref name="key"/>.</summary>
    public void RemoveBlock(string key)
    {
        if (Blocks.Remove(key) && Changes is not null)
        {
            Changes.Written.Remove(key);
            Changes.Removed.Add(key);
        }
    }

    /// <summary>The state of a block or item; throws when the key is unknown.</summary>
    public BlockRunState Block(string key) =>
        Blocks.TryGetValue(key, out var block) ? block : throw new KeyNotFoundException($"run {RunId} has no block '{key}'");

    /// <summary>The snapshot as stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, EngineJson.Options);

    /// <summary>The snapshot without its blocks, for a store that keeps each block apart.</summary>
    public string ToJsonWithoutBlocks()
    {
        var header = (RunState)MemberwiseClone();
        header.Blocks = new BlockDictionary();
        return JsonSerializer.Serialize(header, EngineJson.Options);
    }

    /// <summary>Reads a stored snapshot.</summary>
    public static RunState FromJson(string json) =>
        JsonSerializer.Deserialize<RunState>(json, EngineJson.Options) ?? throw new JsonException("the stored run snapshot is empty");
}

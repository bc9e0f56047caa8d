using System.Text.Json.Serialization;

namespace Duraflow.Engine.Runs;

/// <summary>The state of one block or one fan-out item within a run.</summary>
internal sealed class BlockRunState
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

    /// <summary>While waiting: what for (<c>wait.for</c>, <c>wait.until</c>, <c>wait.signal</c>, <c>wait.approval</c>, <c>repeat</c>).</summary>
    public string? WaitingFor { get; set; }

    /// <summary>While waiting: since when.</summary>
    public DateTimeOffset? WaitingSince { get; set; }

    /// <summary>While waiting: when the wait ends (for a signal, its timeout); null for a signal without one.</summary>
    public DateTimeOffset? WaitUntil { get; set; }

    /// <summary>While waiting for a signal or an approval: its name.</summary>
    public string? Signal { get; set; }

    /// <summary>For a block that runs another pipeline: its latest child run (kept once it ended, to show where the output came from).</summary>
    public string? Child { get; set; }

    /// <summary>While waiting for a named limit: its name.</summary>
    public string? Limit { get; set; }

    /// <summary>How many times in a row this block found a named limit at its bound (it waits longer each time).</summary>
    public int LimitWaits { get; set; }

    /// <summary>Since when it has waited for a named limit, across its asks; null when it is not waiting for one.</summary>
    public DateTimeOffset? LimitSince { get; set; }

    /// <summary>While waiting for a signal: true when its timeout skips the block rather than failing it.</summary>
    public bool SkipOnTimeout { get; set; }

    /// <summary>For a block with <c>repeat</c>: how many of its runs in this round ended with <c>until</c> false.</summary>
    public int Repeats { get; set; }

    /// <summary>The latest failure, or why it was skipped.</summary>
    public string? Error { get; set; }

    /// <summary>Its output's reference: an artifact key, or a small JSON output inline (see <see cref="OutputReference"/>).</summary>
    public string? Output { get; set; }

    /// <summary>For a cached output: the run that computed it.</summary>
    public string? CachedFrom { get; set; }

    /// <summary>For a fan-out block: how many items it produced. For a block mapped over one: how many instances it has.</summary>
    public int? Items { get; set; }

    /// <summary>What its successful attempt measured (rows returned or written, duration of its query), if anything.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; set; }

    /// <summary>For a block mapped over a fan-out: its items counted by status; null until first needed, never stored.</summary>
    [JsonIgnore]
    public ItemTally? Tally { get; set; }

    /// <summary>A copy (with a tally of its own: the copy's items move on without the original's).</summary>
    public BlockRunState Clone()
    {
        var copy = (BlockRunState)MemberwiseClone();
        copy.Tally = Tally?.Copy();
        return copy;
    }
}

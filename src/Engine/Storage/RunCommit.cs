using System.Text.Json;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage;

/// <summary>
/// Everything one decision changes, committed atomically: the new events, the new snapshot, outgoing work, the
/// consumed message (deleted, or dead-lettered), block logs and checkpoint values.
/// </summary>
internal sealed record RunCommit
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The version the decision was made on; 0 creates the run. A different stored version fails the commit.</summary>
    public required long ExpectedVersion { get; init; }

    /// <summary>The events to append.</summary>
    public required IReadOnlyList<RunEvent> Events { get; init; }

    /// <summary>The snapshot after the events.</summary>
    public required RunState State { get; init; }

    /// <summary>
    /// True when <see cref="RunState.IsWaiting"/> differs from the snapshot's at <see cref="ExpectedVersion"/>: a store
    /// that lists runs apart from their snapshots updates the listing then, as it does when the status changes.
    /// </summary>
    public bool WaitingChanged { get; init; }

    /// <summary>
    /// The blocks of <see cref="State"/> that differ from the snapshot at <see cref="ExpectedVersion"/>, so a store can
    /// write only those; null when unknown, and the store writes every block.
    /// </summary>
    public BlockChanges? BlockChanges { get; init; }

    /// <summary>When creating a run, or switching it to a refreshed definition: the plan the state names (stored once per hash).</summary>
    public RunPlan? Plan { get; init; }

    /// <summary>When creating a run: a key that makes a second request return the first run.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Messages to enqueue.</summary>
    public IReadOnlyList<WorkItem> Outgoing { get; init; } = [];

    /// <summary>The message this decision consumed; it is removed in the same transaction. Null when none.</summary>
    public LeasedWork? Consumed { get; init; }

    /// <summary>
    /// Further messages the commit consumes, deleted like <see cref="Consumed"/> (never dead-lettered): the messages of
    /// reports decided together in one commit.
    /// </summary>
    public IReadOnlyList<LeasedWork> AlsoConsumed { get; init; } = [];

    /// <summary>When set, the consumed message is moved to the dead letters with this reason instead of deleted.</summary>
    public string? DeadLetterReason { get; init; }

    /// <summary>Block log lines to store.</summary>
    public IReadOnlyList<LogLine> Logs { get; init; } = [];

    /// <summary>
    /// When set, the commit fails with <see cref="ConcurrencyLimitReachedException"/> if this many other runs of the
    /// pipeline are running or cancelling; checked inside the transaction so two starts cannot both take the last slot.
    /// </summary>
    public int? ConcurrencyLimit { get; init; }

    /// <summary>Checkpoint values to store for the run's pipeline.</summary>
    public IReadOnlyDictionary<string, JsonElement> Checkpoints { get; init; } = new Dictionary<string, JsonElement>();
}

namespace Duraflow.Engine.Runtime;

/// <summary>How a worker process runs: parallelism, leases and poison handling.</summary>
internal sealed record EngineOptions
{
    /// <summary>How many blocks this process runs at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>How long a dequeued message stays invisible; a running block renews it every third of this.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a block attempt runs before its start is committed on its own. A block that finishes sooner reports
    /// its start and its outcome in one commit, which saves one store transaction per block (a billed round trip on
    /// Azure Storage); a block that runs longer is still shown as <c>running</c> this long after it began.
    /// <see cref="TimeSpan.Zero"/> (or less) commits the start before the block runs, as a separate transaction.
    /// </summary>
    /// <remarks>
    /// Until its start is committed the block reads as <c>scheduled</c>, so a cancel in that window cancels it as a
    /// waiting block; the worker running it stops it at once in this process, and in any other process when it tries
    /// to record the start (or at the next lease renewal).
    /// </remarks>
    public TimeSpan RecordStartAfter { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>After this many deliveries without completing, a message is dead-lettered and its block fails.</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>The longest an idle worker waits before looking for work other processes may have added.</summary>
    public TimeSpan IdlePoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a run waiting for a concurrency slot waits before it asks again.</summary>
    public TimeSpan SlotPoll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The project folder: relative file paths in block settings start here.</summary>
    public string ProjectRoot { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Absolute folders outside the project that file blocks may use too (duraflow.yaml's <c>files.roots</c>).</summary>
    public IReadOnlyList<string> FileRoots { get; init; } = [];

    /// <summary>duraflow.yaml's named limits as they are now, by name, which blocks take while they run.</summary>
    public Func<IReadOnlyDictionary<string, Definitions.LimitDefinition>> Limits { get; init; } = () => new Dictionary<string, Definitions.LimitDefinition>();

    /// <summary>This worker's name in the run history.</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";
}

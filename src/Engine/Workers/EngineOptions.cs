namespace Duraflow.Engine.Workers;

/// <summary>How a worker process runs: parallelism, leases and poison handling.</summary>
public sealed record EngineOptions
{
    /// <summary>How many blocks this process runs at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>How long a dequeued message stays invisible; a running block renews it every third of this.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this many deliveries without completing, a message is dead-lettered and its block fails.</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>The longest an idle worker waits before looking for work other processes may have added.</summary>
    public TimeSpan IdlePoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a run waiting for a concurrency slot waits before it asks again.</summary>
    public TimeSpan SlotPoll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The project folder: relative file paths in block settings start here.</summary>
    public string ProjectRoot { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>This worker's name in the run history.</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";
}

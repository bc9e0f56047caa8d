namespace Duraflow.Engine.Storage;

/// <summary>
/// Work queues with leases: a dequeued message is invisible until its lease ends, then it is delivered again.
/// Messages are added only through <see cref="IRunStore.CommitAsync"/>, so work never exists without the state that
/// explains it.
/// </summary>
internal interface IWorkQueues
{
    /// <summary>Leases up to <paramref name="max"/> visible messages of <paramref name="queue"/>, oldest first.</summary>
    Task<IReadOnlyList<LeasedWork>> DequeueAsync(string queue, int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends a lease; false when it was lost.</summary>
    Task<bool> RenewAsync(LeasedWork work, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Gives a message back, visible after <paramref name="delay"/>, without counting the delivery.</summary>
    Task ReleaseAsync(LeasedWork work, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Deletes a message whose work needs no commit (a stale duplicate).</summary>
    Task CompleteAsync(LeasedWork work, CancellationToken cancellationToken);

    /// <summary>
    /// When the next message of <paramref name="queue"/> becomes visible, or null when none is known to be waiting.
    /// The SQLite store knows every message; a shared queue (Azure) knows the timers this process set, and workers
    /// find the others by polling.
    /// </summary>
    Task<DateTimeOffset?> NextVisibleAtAsync(string queue, CancellationToken cancellationToken);
}

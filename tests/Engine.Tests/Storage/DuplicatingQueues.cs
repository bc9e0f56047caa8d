using System.Collections.Concurrent;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>
/// Queues that deliver every message a second time: the first time a key is received, a copy is put on the real
/// queue, visible after a random delay of up to 1.5 s, so copies arrive late and out of order. Each worker wraps its
/// own store (leases belong to the store client that received the message); <paramref name="received"/> is shared.
/// </summary>
internal sealed class DuplicatingQueues(AzureStore store, ConcurrentDictionary<string, int> received) : IWorkQueues
{
    private readonly ConcurrentDictionary<string, int> _received = received;

    public async Task<IReadOnlyList<LeasedWork>> DequeueAsync(string queue, int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        var leased = await store.DequeueAsync(queue, max, lease, cancellationToken);
        foreach (var work in leased)
        {
            if (_received.AddOrUpdate(work.Key, 1, (_, n) => n + 1) == 1)
            {
                var delay = TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1500));
                await store.SendAsync(new WorkItem(queue, work.RunId, work.Key, work.Body, DateTimeOffset.UtcNow + delay), cancellationToken);
            }
        }

        return leased;
    }

    public Task<bool> RenewAsync(LeasedWork work, TimeSpan lease, CancellationToken cancellationToken) => store.RenewAsync(work, lease, cancellationToken);

    public Task ReleaseAsync(LeasedWork work, TimeSpan delay, CancellationToken cancellationToken) => store.ReleaseAsync(work, delay, cancellationToken);

    public Task CompleteAsync(LeasedWork work, CancellationToken cancellationToken) => store.CompleteAsync(work, cancellationToken);

    public Task<DateTimeOffset?> NextVisibleAtAsync(string queue, CancellationToken cancellationToken) => store.NextVisibleAtAsync(queue, cancellationToken);
}

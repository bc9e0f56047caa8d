using Duraflow.Engine.Triggers.BlobEvents;

namespace Duraflow.Engine.Tests.Triggers.BlobEvents;

/// <summary>Collects what a folder watcher raises and lets a test await a particular event, with a generous limit instead of sleeps.</summary>
internal sealed class EventSink
{
    private readonly List<BlobCreatedEvent> _events = [];
    private readonly List<(Func<BlobCreatedEvent, bool> Wanted, TaskCompletionSource<BlobCreatedEvent> Done)> _waiters = [];

    public IReadOnlyList<BlobCreatedEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public Task Add(BlobCreatedEvent blobEvent, CancellationToken cancellationToken)
    {
        lock (_events)
        {
            _events.Add(blobEvent);
            foreach (var waiter in _waiters.Where(w => w.Wanted(blobEvent)).ToList())
            {
                waiter.Done.TrySetResult(blobEvent);
                _waiters.Remove(waiter);
            }
        }

        return Task.CompletedTask;
    }

    public Task<BlobCreatedEvent> WaitForAsync(Func<BlobCreatedEvent, bool> wanted)
    {
        lock (_events)
        {
            if (_events.FirstOrDefault(wanted) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<BlobCreatedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((wanted, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public Task<BlobCreatedEvent> WaitForAsync(string name) => WaitForAsync(e => e.Name == name);
}

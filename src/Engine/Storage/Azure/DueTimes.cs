namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The due times of delayed messages (timers) this process sent, per queue. A queue cannot say when its next hidden
/// message becomes visible, so <see cref="AzureStore.NextVisibleAtAsync"/> answers from here: this process wakes
/// exactly when its own timers are due, and for timers other processes set it polls like any idle worker.
/// </summary>
internal sealed class DueTimes
{
    private readonly Dictionary<string, SortedSet<DateTimeOffset>> _byQueue = new(StringComparer.Ordinal);

    public void Add(string queue, DateTimeOffset due)
    {
        lock (_byQueue)
        {
            if (!_byQueue.TryGetValue(queue, out var times))
            {
                _byQueue[queue] = times = [];
            }

            times.Add(due);
        }
    }

    /// <summary>The earliest due time after <paramref name="now"/>, forgetting those already past.</summary>
    public DateTimeOffset? Next(string queue, DateTimeOffset now)
    {
        lock (_byQueue)
        {
            if (!_byQueue.TryGetValue(queue, out var times))
            {
                return null;
            }

            times.RemoveWhere(t => t <= now);
            return times.Count > 0 ? times.Min : null;
        }
    }
}

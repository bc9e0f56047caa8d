using System.Collections.Concurrent;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Outboxes whose work this process has sent, waiting to be deleted. Deleting one costs a transaction of its own,
/// unless it rides along in the run's next commit, which in a chain usually comes from this very process a moment
/// later; what no commit picked up within a short while is deleted on its own.
/// </summary>
internal sealed class SentOutboxes
{
    private readonly ConcurrentDictionary<string, List<(string RowKey, long SentAt)>> _byRun = new(StringComparer.Ordinal);

    public void Add(string runId, string rowKey, long sentAt) =>
        _byRun.AddOrUpdate(runId, _ => [(rowKey, sentAt)], (_, list) =>
        {
            lock (list)
            {
                list.Add((rowKey, sentAt));
            }

            return list;
        });

    /// <summary>Takes the run's sent outboxes, for its next commit to delete.</summary>
    public IReadOnlyList<string> Take(string runId) =>
        _byRun.TryRemove(runId, out var list) ? Keys(list) : [];

    /// <summary>Gives back outboxes a failed commit did not delete.</summary>
    public void PutBack(string runId, IEnumerable<string> rowKeys, long sentAt)
    {
        foreach (var key in rowKeys)
        {
            Add(runId, key, sentAt);
        }
    }

    /// <summary>Takes the outboxes of every run whose oldest one was sent before <paramref name="cutoff"/>.</summary>
    public IReadOnlyList<(string RunId, IReadOnlyList<string> RowKeys)> TakeOlderThan(long cutoff)
    {
        var taken = new List<(string, IReadOnlyList<string>)>();
        foreach (var (runId, list) in _byRun)
        {
            bool old;
            lock (list)
            {
                old = list.Count > 0 && list[0].SentAt < cutoff;
            }

            if (old && _byRun.TryRemove(runId, out var removed))
            {
                taken.Add((runId, Keys(removed)));
            }
        }

        return taken;
    }

    private static List<string> Keys(List<(string RowKey, long SentAt)> list)
    {
        lock (list)
        {
            return [.. list.Select(e => e.RowKey)];
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// The last snapshot of each unfinished run that this process read or committed, so a decision usually needs no
/// store read: in a chain of blocks the commit that finished one block is also the state the next one starts from.
/// A cached snapshot can only be older than the store, never newer, so using it is safe as long as callers keep two
/// rules: a commit made on it is checked by the store's version (a conflict means forget it and read again), and a
/// "no" decided on it is checked again on a fresh read before it counts.
/// </summary>
/// <remarks>
/// Bounded: when full, some entries are dropped (they are only a shortcut). Finished runs are not kept. The cached
/// <see cref="RunState"/> objects are shared, like every state the engine hands out; nothing may change them.
/// </remarks>
internal sealed class RunSnapshots(int capacity = RunSnapshots.DefaultCapacity)
{
    /// <summary>Enough for every run a busy worker touches at once; one snapshot is a few kilobytes.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, StoredRun> _runs = new(StringComparer.Ordinal);

    public int Count => _runs.Count;

    public bool TryGet(string runId, [MaybeNullWhen(false)] out StoredRun run) => _runs.TryGetValue(runId, out run);

    /// <summary>Keeps <paramref name="run"/> unless it has ended or a newer version is already kept.</summary>
    public void Remember(string runId, StoredRun run)
    {
        if (run.State.Status.IsTerminal())
        {
            _runs.TryRemove(runId, out _);
            return;
        }

        if (_runs.Count >= capacity && !_runs.ContainsKey(runId))
        {
            // Drop a tenth at once, so a full cache does not pay for a scan on every new run.
            foreach (var key in _runs.Keys.Take(Math.Max(1, capacity / 10)))
            {
                _runs.TryRemove(key, out _);
            }
        }

        _runs.AddOrUpdate(runId, run, (_, kept) => kept.Version > run.Version ? kept : run);
    }

    /// <summary>Drops <paramref name="stale"/>, unless a newer snapshot has replaced it meanwhile.</summary>
    public void Forget(string runId, StoredRun stale) => _runs.TryRemove(KeyValuePair.Create(runId, stale));
}

using System.Collections.Concurrent;

namespace Duraflow.Engine.Runtime;

/// <summary>The cancellation sources of blocks running in this process, so a cancel committed here stops them at once.</summary>
internal sealed class RunningBlocks
{
    private readonly ConcurrentDictionary<(string RunId, string Key), CancellationTokenSource> _running = new();

    public void Add(string runId, string key, CancellationTokenSource source) => _running[(runId, key)] = source;

    public void Remove(string runId, string key) => _running.TryRemove((runId, key), out _);

    public void Stop(string runId, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if (_running.TryGetValue((runId, key), out var source))
            {
                source.Cancel();
            }
        }
    }
}

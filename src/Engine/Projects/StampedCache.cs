namespace Duraflow.Engine.Projects;

/// <summary>
/// A value made from a project's files, kept until their stamp (<see cref="ProjectFiles"/>) changes: the validation the
/// HTTP API, schedules and blob events share, and the connections block attempts read. Hosts that serve a project for
/// days thus see each edit at the next use, without a restart and without reading unchanged files again.
/// </summary>
/// <remarks>
/// Safe for concurrent use. Callers that find the stamp unchanged share the cached value without waiting; when it
/// changed, one caller loads and the others wait for its result rather than reading the same files again. The value
/// is kept with the stamp read before loading, so an edit made while it loads shows at the next call.
/// </remarks>
/// <typeparam name="T">The value.</typeparam>
internal sealed class StampedCache<T>
    where T : class
{
    private readonly Func<string> _stamp;
    private readonly Func<T> _load;
    private readonly Lock _gate = new();
    private volatile Entry? _current;

    /// <summary>Creates the cache; <paramref name="stamp"/> stamps the files, <paramref name="load"/> reads them.</summary>
    public StampedCache(Func<string> stamp, Func<T> load)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        ArgumentNullException.ThrowIfNull(load);
        _stamp = stamp;
        _load = load;
    }

    /// <summary>How many times the value was loaded, for tests and diagnostics.</summary>
    public int Loads { get; private set; }

    /// <summary>The value as of the files now.</summary>
    public T Get()
    {
        var stamp = _stamp();
        if (_current is { } current && current.Stamp == stamp)
        {
            return current.Value;
        }

        lock (_gate)
        {
            // Another caller may have loaded these very files while this one waited.
            stamp = _stamp();
            if (_current is { } fresh && fresh.Stamp == stamp)
            {
                return fresh.Value;
            }

            var value = _load();
            Loads++;
            _current = new Entry(stamp, value);
            return value;
        }
    }

    private sealed record Entry(string Stamp, T Value);
}

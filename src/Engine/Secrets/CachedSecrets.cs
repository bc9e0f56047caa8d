using Duraflow.Blocks;

namespace Duraflow.Engine.Secrets;

/// <summary>
/// Looks secrets up in each provider in turn (local file, environment, Key Vault) and keeps each value found for a
/// time to live, so blocks running at once or one after another do not call Key Vault for every use. Every value found
/// is remembered by the redactor.
/// </summary>
/// <remarks>
/// Thread-safe. Concurrent requests for a secret that is not cached share one lookup. Misses and failures are not
/// cached: a secret added after a failed run is found by its retry.
/// </remarks>
internal sealed class CachedSecrets : ISecrets
{
    private readonly IReadOnlyList<ISecretProvider> _providers;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public CachedSecrets(IReadOnlyList<ISecretProvider> providers, TimeSpan ttl, TimeProvider time, SecretRedactor redactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        _providers = providers;
        _ttl = ttl;
        _time = time;
        _redactor = redactor;
    }

    public Task<string> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (SecretNames.IsAppApiKey(name))
        {
            // The deployed app's own API key sits in the same vault; a pipeline that could read it could call the API
            // as anyone. Refused before any provider is asked, so no setting or vault secret can hand it out.
            return Task.FromException<string>(new Duraflow.Blocks.NonRetryableBlockException(
                $"secret '{name}' is the app's own API key (Key Vault secret '{SecretNames.AppApiKeyVaultName}'), which pipelines cannot read; give the secret your block needs another name"));
        }
        Entry? started = null;
        Task<string> lookup;
        lock (_gate)
        {
            if (!_entries.TryGetValue(name, out var entry) || entry.ExpiresAt <= _time.GetUtcNow())
            {
                entry = started = new Entry();
                _entries[name] = entry;
            }

            lookup = entry.Value.Task;
        }

        if (started is not null)
        {
            // Outside the lock: reading the local file or calling Key Vault must not hold up other secrets.
            _ = LookUpAsync(name, started);
        }

        // The shared lookup is not cancelled with one caller; each caller stops waiting on its own token.
        return lookup.WaitAsync(cancellationToken);
    }

    // Completes the entry with the value or the failure; never throws.
    private async Task LookUpAsync(string name, Entry entry)
    {
        try
        {
            var value = await FindAsync(name).ConfigureAwait(false);
            _redactor.Remember(value);
            lock (_gate)
            {
                entry.ExpiresAt = _time.GetUtcNow() + _ttl;
            }

            entry.Value.SetResult(value);
        }
#pragma warning disable CA1031 // Every failure goes to the callers through the entry's task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(name, out var current) && current == entry)
                {
                    _entries.Remove(name);
                }
            }

            entry.Value.SetException(e);
        }
    }

    private async Task<string> FindAsync(string name)
    {
        foreach (var provider in _providers)
        {
            if (await provider.FindAsync(name, CancellationToken.None).ConfigureAwait(false) is { } value)
            {
                return value;
            }
        }

        var places = string.Join("; ", _providers.Select(p => p.Where(name)));
        throw new NonRetryableBlockException($"secret '{name}' was not found; looked in: {places}");
    }

    private sealed class Entry
    {
        /// <summary>Never while the lookup runs, so every caller shares it; set when the value arrives.</summary>
        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;

        public TaskCompletionSource<string> Value { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Duraflow.Engine.Runs;

/// <summary>
/// A run's blocks by key, made to be copied once per decision: a copy shares the original's entries and keeps its own
/// changes in a small overlay, so copying a run of 10,000 blocks costs its recent changes, not 10,000 entries.
/// </summary>
/// <remarks>
/// The shared part is never written once a copy shares it, which is what makes sharing safe across threads. When the
/// overlay outgrows about twice the square root of the size, the next copy folds it in: that balances copying the
/// overlay on every decision against rebuilding the whole map now and then. Keys enumerate in the order they were
/// first added (changed entries keep their place).
/// </remarks>
[JsonConverter(typeof(BlockDictionaryJsonConverter))]
internal sealed class BlockDictionary : IReadOnlyDictionary<string, BlockRunState>
{
    private readonly Dictionary<string, BlockRunState> _shared;
    private readonly Dictionary<string, BlockRunState?> _overlay;

    // True once a copy shares _shared: from then on every change goes to the overlay.
    private bool _sharing;

    /// <summary>An empty map.</summary>
    public BlockDictionary()
        : this(new Dictionary<string, BlockRunState>(StringComparer.Ordinal), new Dictionary<string, BlockRunState?>(StringComparer.Ordinal), 0)
    {
    }

    private BlockDictionary(Dictionary<string, BlockRunState> shared, Dictionary<string, BlockRunState?> overlay, int count)
    {
        _shared = shared;
        _overlay = overlay;
        Count = count;
    }

    /// <inheritdoc/>
    public int Count { get; private set; }

    /// <inheritdoc/>
    public BlockRunState this[string key] =>
        TryGetValue(key, out var block) ? block : throw new KeyNotFoundException($"no block '{key}'");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => this.Select(pair => pair.Key);

    /// <inheritdoc/>
    public IEnumerable<BlockRunState> Values => this.Select(pair => pair.Value);

    /// <inheritdoc/>
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out BlockRunState value)
    {
        if (_overlay.TryGetValue(key, out var changed))
        {
            value = changed;
            return changed is not null;
        }

        return _shared.TryGetValue(key, out value);
    }

    /// <summary>A copy whose changes do not reach this map, nor this map's changes the copy.</summary>
    public BlockDictionary Copy()
    {
        _sharing = true;
        if (_overlay.Count <= OverlayLimit(Count))
        {
            return new BlockDictionary(_shared, new Dictionary<string, BlockRunState?>(_overlay, StringComparer.Ordinal), Count) { _sharing = true };
        }

        var merged = new Dictionary<string, BlockRunState>(Count, StringComparer.Ordinal);
        foreach (var (key, block) in this)
        {
            merged.Add(key, block);
        }

        return new BlockDictionary(merged, new Dictionary<string, BlockRunState?>(StringComparer.Ordinal), Count);
    }

    /// <summary>Adds or replaces the entry for <paramref name="key"/>.</summary>
    internal void Set(string key, BlockRunState block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!ContainsKey(key))
        {
            Count++;
        }

        if (_sharing)
        {
            _overlay[key] = block;
        }
        else
        {
            _shared[key] = block;
        }
    }

    /// <summary>Removes the entry for <paramref name="key"/>; false when there was none.</summary>
    internal bool Remove(string key)
    {
        if (!ContainsKey(key))
        {
            return false;
        }

        Count--;
        if (!_sharing)
        {
            _shared.Remove(key);
        }
        else if (_shared.ContainsKey(key))
        {
            _overlay[key] = null;
        }
        else
        {
            _overlay.Remove(key);
        }

        return true;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, BlockRunState>> GetEnumerator()
    {
        foreach (var (key, block) in _shared)
        {
            if (!_overlay.TryGetValue(key, out var changed))
            {
                yield return new(key, block);
            }
            else if (changed is not null)
            {
                yield return new(key, changed);
            }
        }

        foreach (var (key, block) in _overlay)
        {
            if (block is not null && !_shared.ContainsKey(key))
            {
                yield return new(key, block);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int OverlayLimit(int count) => Math.Max(32, 2 * (int)Math.Sqrt(count));
}

using System.Runtime.InteropServices;
using System.Text.Json;

namespace Duraflow.Engine.Workers;

/// <summary>
/// The fan-out lists that items of mapped blocks were handed out from lately, parsed once. Each item needs one element
/// of the list; reading and parsing the whole list for every item made a map over N items cost N² in bytes. The key
/// is the output's reference with the time its run was requested and its block ended, so a run id used again after a
/// purge never meets the old run's list. A few lists are kept, the most recently used, and none over the byte budget
/// (such a list is read per item, as before).
/// </summary>
internal sealed class FanOutLists
{
    private const int Capacity = 4;

    /// <summary>The most a kept list may weigh, counting its items' JSON.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly LinkedList<(string Key, Task<JsonElement[]?> Items)> _recent = new();

    /// <summary>
    /// The items of the list <paramref name="key"/> names (null when it is not a list), from memory or parsed by
    /// <paramref name="read"/>. Kept as an array, so an item is found without walking the list to it. Items asking at
    /// once share one read, which none of them cancels; each stops waiting on its own <paramref name="cancellationToken"/>.
    /// A read that failed is forgotten, so the next item tries again.
    /// </summary>
    public async Task<JsonElement[]?> GetAsync(string key, Func<Task<JsonElement>> read, CancellationToken cancellationToken)
    {
        TaskCompletionSource<JsonElement[]?>? mine = null;
        Task<JsonElement[]?> items;
        lock (_gate)
        {
            var node = _recent.First;
            while (node is not null && node.Value.Key != key)
            {
                node = node.Next;
            }

            if (node is null)
            {
                mine = new TaskCompletionSource<JsonElement[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
                node = new LinkedListNode<(string, Task<JsonElement[]?>)>((key, mine.Task));
                while (_recent.Count >= Capacity)
                {
                    _recent.RemoveLast();
                }
            }
            else
            {
                _recent.Remove(node);
            }

            _recent.AddFirst(node);
            items = node.Value.Items;
        }

        if (mine is not null)
        {
            // Read outside the lock: parsing a large list must not hold up items asking for other lists.
            try
            {
                var list = await ReadAsync(read).ConfigureAwait(false);
                if (list is not null && Weight(list) > MaxBytes)
                {
                    Forget(mine.Task);
                }

                mine.SetResult(list);
            }
            catch (Exception e)
            {
                Forget(mine.Task);
                mine.SetException(e);
            }
        }

        return await items.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JsonElement[]?> ReadAsync(Func<Task<JsonElement>> read)
    {
        var parsed = await read().ConfigureAwait(false);
        return parsed.ValueKind == JsonValueKind.Array ? parsed.EnumerateArray().ToArray() : null;
    }

    // The bytes of the items' JSON, without copying them.
    private static long Weight(JsonElement[] list)
    {
        long bytes = 0;
        foreach (var item in list)
        {
            bytes += JsonMarshal.GetRawUtf8Value(item).Length;
        }

        return bytes;
    }

    private void Forget(Task<JsonElement[]?> items)
    {
        lock (_gate)
        {
            for (var node = _recent.First; node is not null; node = node.Next)
            {
                if (node.Value.Items == items)
                {
                    _recent.Remove(node);
                    return;
                }
            }
        }
    }
}

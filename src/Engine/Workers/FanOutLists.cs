using System.Text.Json;

namespace Duraflow.Engine.Workers;

/// <summary>
/// The fan-out lists that items of mapped blocks were handed out from lately, parsed once. Each item needs one element
/// of the list; reading and parsing the whole list for every item made a map over N items cost N² in bytes. An output
/// reference never changes what it names (a new attempt writes a new artifact), so a parsed list stays right for as
/// long as it is kept. Only a few are kept, the most recently used.
/// </summary>
internal sealed class FanOutLists
{
    private const int Capacity = 4;

    private readonly Lock _gate = new();
    private readonly LinkedList<(string Output, Task<JsonElement[]?> Items)> _recent = new();

    /// <summary>
    /// The items of the list output <paramref name="output"/> names (null when it is not a list), from memory or parsed
    /// by <paramref name="read"/>. Kept as an array, so an item is found without walking the list to it. Items asking
    /// at once share one read; a read that failed is forgotten, so the next item tries again.
    /// </summary>
    public async Task<JsonElement[]?> GetAsync(string output, Func<Task<JsonElement>> read)
    {
        Task<JsonElement[]?> items;
        lock (_gate)
        {
            var node = _recent.First;
            while (node is not null && node.Value.Output != output)
            {
                node = node.Next;
            }

            if (node is null)
            {
                node = new LinkedListNode<(string, Task<JsonElement[]?>)>((output, ReadAsync(read)));
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

        try
        {
            return await items.ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                for (var node = _recent.First; node is not null; node = node.Next)
                {
                    if (node.Value.Items == items)
                    {
                        _recent.Remove(node);
                        break;
                    }
                }
            }

            throw;
        }
    }

    private static async Task<JsonElement[]?> ReadAsync(Func<Task<JsonElement>> read)
    {
        var parsed = await read().ConfigureAwait(false);
        return parsed.ValueKind == JsonValueKind.Array ? parsed.EnumerateArray().ToArray() : null;
    }
}

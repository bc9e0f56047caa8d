using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Reads the outputs a block attempt receives from its upstream blocks. An item of a mapped block gets its own item
/// of the fan-out list (and the same item of blocks mapped over the same fan-out); any other block reading a mapped
/// block gets all of its items as one list (fan-in). A skipped upstream block reads as null.
/// </summary>
internal static class BlockInputs
{
    public static async Task<Dictionary<string, JsonElement>> ReadAsync(
        IArtifactStore artifacts, RunPlan plan, RunState state, BlockPlan block, int? index, CancellationToken cancellationToken)
    {
        var inputs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var name in block.Upstream)
        {
            var upstream = plan.Block(name);
            if (index is { } item && name == block.MappedOver)
            {
                var list = await ReadOutputAsync(artifacts, state.Block(name), cancellationToken).ConfigureAwait(false);
                inputs[name] = list.ValueKind == JsonValueKind.Array && item < list.GetArrayLength() ? list[item] : default;
            }
            else if (index is { } same && upstream.MappedOver is not null && upstream.MappedOver == block.MappedOver)
            {
                inputs[name] = await ReadOutputAsync(artifacts, state.Block(InstanceKeys.Of(name, same)), cancellationToken).ConfigureAwait(false);
            }
            else if (upstream.MappedOver is not null)
            {
                var items = new List<JsonElement>();
                for (var i = 0; i < (state.Block(name).Items ?? 0); i++)
                {
                    items.Add(await ReadOutputAsync(artifacts, state.Block(InstanceKeys.Of(name, i)), cancellationToken).ConfigureAwait(false));
                }

                inputs[name] = JsonSerializer.SerializeToElement(items);
            }
            else
            {
                inputs[name] = await ReadOutputAsync(artifacts, state.Block(name), cancellationToken).ConfigureAwait(false);
            }
        }

        return inputs;
    }

    private static async Task<JsonElement> ReadOutputAsync(IArtifactStore artifacts, BlockRunState block, CancellationToken cancellationToken)
    {
        if (block.Output is null || !block.Status.HasOutput())
        {
            return JsonSerializer.SerializeToElement<object?>(null);
        }

        var bytes = await artifacts.ReadAsync(block.Output, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }
}

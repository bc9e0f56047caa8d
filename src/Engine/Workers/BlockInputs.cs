using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Reads the outputs a block attempt receives from its upstream blocks. An item of a mapped block gets its own item
/// of the fan-out list (and the same item of blocks mapped over the same fan-out); any other block reading a mapped
/// block gets all of its items at once (fan-in): one table over every item's file when the items are tables, else a
/// JSON list. A skipped upstream block reads as null. Small JSON outputs are read from the run's state itself, the
/// rest from the artifact store.
/// </summary>
internal static class BlockInputs
{
    /// <summary>Artifact keys of outputs stored as Parquet tables end with this; any other output is JSON.</summary>
    public const string TableSuffix = ".parquet";

    public static async Task<Dictionary<string, BlockValue>> ReadAsync(
        IArtifactStore artifacts, FanOutLists lists, RunPlan plan, RunState state, BlockPlan block, int? index, CancellationToken cancellationToken)
    {
        var inputs = new Dictionary<string, BlockValue>(StringComparer.Ordinal);
        foreach (var name in block.Upstream)
        {
            var upstream = plan.Block(name);
            if (index is { } item && name == block.MappedOver)
            {
                // One read shared by the items asking at once, so not cut off by the one item that happened to start
                // it being cancelled; each item still stops waiting when it is cancelled.
                var source = state.Block(name);
                var list = source.Output is { } output && source.Status.HasOutput()
                    ? await lists.GetAsync(
                        $"{output}@{state.RequestedAt.UtcTicks}/{source.EndedAt?.UtcTicks}",
                        async () => (await ReadOutputAsync(artifacts, source, CancellationToken.None).ConfigureAwait(false)).Json,
                        cancellationToken).ConfigureAwait(false)
                    : null;
                inputs[name] = list is not null && item < list.Length ? BlockValue.Of(list[item]) : BlockValue.Null;
            }
            else if (index is { } same && upstream.MappedOver is not null && upstream.MappedOver == block.MappedOver)
            {
                inputs[name] = await ReadOutputAsync(artifacts, state.Block(InstanceKeys.Of(name, same)), cancellationToken).ConfigureAwait(false);
            }
            else if (upstream.MappedOver is not null)
            {
                var items = new List<BlockValue>();
                for (var i = 0; i < (state.Block(name).Items ?? 0); i++)
                {
                    items.Add(await ReadOutputAsync(artifacts, state.Block(InstanceKeys.Of(name, i)), cancellationToken).ConfigureAwait(false));
                }

                inputs[name] = items.Count > 0 && items.All(i => i.IsTable)
                    ? BlockValue.Of(new Table(items.SelectMany(i => i.Table!.Files).ToList()))
                    : BlockValue.Of(JsonSerializer.SerializeToElement(items.Select(i => i.AsJson(cancellationToken)).ToList()));
            }
            else
            {
                inputs[name] = await ReadOutputAsync(artifacts, state.Block(name), cancellationToken).ConfigureAwait(false);
            }
        }

        return inputs;
    }

    private static async Task<BlockValue> ReadOutputAsync(IArtifactStore artifacts, BlockRunState block, CancellationToken cancellationToken)
    {
        if (block.Output is null || !block.Status.HasOutput())
        {
            return BlockValue.Null;
        }

        if (OutputReference.TryGetInlineJson(block.Output, out var inline))
        {
            using var parsed = JsonDocument.Parse(inline);
            return BlockValue.Of(parsed.RootElement.Clone());
        }

        // Anything else is an artifact key, as every output of runs made before inline outputs is.
        if (block.Output.EndsWith(TableSuffix, StringComparison.Ordinal))
        {
            return BlockValue.Of(new Table(await artifacts.GetLocalPathAsync(block.Output, cancellationToken).ConfigureAwait(false)));
        }

        var bytes = await artifacts.ReadAsync(block.Output, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(bytes);
        return BlockValue.Of(document.RootElement.Clone());
    }
}

using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Workers;

namespace Duraflow.ChaosWorker;

/// <summary>
/// The blocks of the chaos pipeline: <c>prep</c> says how many items, <c>list</c> fans out 1..n, each <c>each</c>
/// doubles its item after a short piece of work (so that kills land mid-block too), and <c>all</c> sums them. The
/// incremental pipeline's <c>take</c> and <c>load</c> read rows after a checkpoint and pass them on.
/// </summary>
internal sealed class ChaosBlocks : IBlockExecutor
{
    public async Task<BlockValue> ExecuteAsync(RunPlan plan, BlockPlan block, BlockContext context)
    {
        object? result = block.Name switch
        {
            "prep" => new { n = context.Parameters.TryGetValue("items", out var items) ? items.GetInt32() : 10 },
            "list" => Enumerable.Range(1, context.Inputs["prep"].Json.GetProperty("n").GetInt32()).ToList(),
            "each" => await DoubleAsync(context).ConfigureAwait(false),
            "all" => context.Inputs["each"].Json.EnumerateArray().Sum(e => e.GetInt32()),
            "take" => await TakeAsync(context).ConfigureAwait(false),
            "load" => context.Inputs["take"].Json,
            _ => throw new InvalidOperationException($"the chaos pipeline has no block {block.Name}"),
        };
        return BlockValue.Of(JsonSerializer.SerializeToElement(result));
    }

    // The incremental pipeline: take reads the five rows after its checkpoint and moves it past them. With run
    // parameter hold_first (a file path), the first delivery writes that file and then waits to be killed, so that the
    // test kills a worker inside an attempt that has read the watermark and staged the next one.
    private static async Task<List<int>> TakeAsync(BlockContext context)
    {
        var cursor = (await context.GetCheckpointAsync("cursor").ConfigureAwait(false))?.GetInt32() ?? 0;
        context.SetCheckpoint("cursor", JsonSerializer.SerializeToElement(cursor + 5));
        if (context.Parameters.TryGetValue("hold_first", out var marker) && !File.Exists(marker.GetString()))
        {
            // Written beside and renamed, so the test never sees the marker without the cursor in it.
            var path = marker.GetString()!;
            await File.WriteAllTextAsync(path + ".tmp", cursor.ToString(System.Globalization.CultureInfo.InvariantCulture), context.CancellationToken).ConfigureAwait(false);
            File.Move(path + ".tmp", path);
            await Task.Delay(Timeout.Infinite, context.CancellationToken).ConfigureAwait(false);
        }

        return [.. Enumerable.Range(cursor + 1, 5)];
    }

    private static async Task<int> DoubleAsync(BlockContext context)
    {
        await Task.Delay(Random.Shared.Next(0, 20), context.CancellationToken).ConfigureAwait(false);
        return context.Inputs["list"].Json.GetInt32() * 2;
    }
}

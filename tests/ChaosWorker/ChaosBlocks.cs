using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Workers;

namespace Duraflow.ChaosWorker;

/// <summary>
/// The blocks of the chaos pipeline: <c>prep</c> says how many items, <c>list</c> fans out 1..n, each <c>each</c>
/// doubles its item after a short piece of work (so that kills land mid-block too), and <c>all</c> sums them.
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
            _ => throw new InvalidOperationException($"the chaos pipeline has no block {block.Name}"),
        };
        return BlockValue.Of(JsonSerializer.SerializeToElement(result));
    }

    private static async Task<int> DoubleAsync(BlockContext context)
    {
        await Task.Delay(Random.Shared.Next(0, 20), context.CancellationToken).ConfigureAwait(false);
        return context.Inputs["list"].Json.GetInt32() * 2;
    }
}

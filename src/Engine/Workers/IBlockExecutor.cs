using Duraflow.Blocks;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Workers;

/// <summary>Runs the code of one block attempt and returns its output. Chosen by the block's <c>uses</c>.</summary>
internal interface IBlockExecutor
{
    /// <summary>Runs <paramref name="block"/> of <paramref name="plan"/> with <paramref name="context"/>; returns a table or JSON.</summary>
    Task<BlockValue> ExecuteAsync(RunPlan plan, BlockPlan block, BlockContext context);

    /// <summary>
    /// What identifies the code <paramref name="block"/> runs beyond its <c>uses</c> and pinned file text (a compiled
    /// block's assembly, a built-in's build), for its cache key; null when nothing does.
    /// </summary>
    string? CodeIdentity(BlockPlan block) => null;
}

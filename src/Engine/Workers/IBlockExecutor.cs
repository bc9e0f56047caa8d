using System.Text.Json;
using Duraflow.Blocks.Execution;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Workers;

/// <summary>Runs the code of one block attempt and returns its output. Chosen by the block's <c>uses</c>.</summary>
public interface IBlockExecutor
{
    /// <summary>Runs <paramref name="block"/> of <paramref name="plan"/> with <paramref name="context"/>.</summary>
    Task<JsonElement> ExecuteAsync(RunPlan plan, BlockPlan block, BlockContext context);
}

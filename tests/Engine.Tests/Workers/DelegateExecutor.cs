using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Workers;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>Runs every block with test code instead of scripts.</summary>
internal sealed class DelegateExecutor(Func<BlockPlan, BlockContext, Task<BlockValue>> run) : IBlockExecutor
{
    public Task<BlockValue> ExecuteAsync(RunPlan plan, BlockPlan block, BlockContext context) => run(block, context);
}

using Duraflow.Blocks;
using Duraflow.Blocks.Data;
using Duraflow.Blocks.Execution;
using Duraflow.Blocks.Scripts;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Runs blocks by kind. C# script blocks run from the script text pinned in the run's plan, compiled once per
/// distinct text. Other kinds fail at once with a clear reason until their runners exist.
/// </summary>
public sealed class DefaultBlockExecutor : IBlockExecutor
{
    private readonly ScriptCompiler _scripts = new();

    /// <inheritdoc/>
    public Task<BlockValue> ExecuteAsync(RunPlan plan, BlockPlan block, BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(block);
        if (!BlockUses.TryParse(block.Uses, out var uses, out var error) || uses is null)
        {
            throw new NonRetryableBlockException($"block {block.Name}: {error}");
        }

        if (uses.Kind == BlockKind.Script)
        {
            var code = plan.Files.TryGetValue(uses.Target, out var text)
                ? text
                : throw new NonRetryableBlockException($"block {block.Name}: the run's pinned definition has no copy of {uses.Target}");
            var compiled = _scripts.Compile($"pipelines/{plan.Pipeline}/{uses.Target}", code);
            ArgumentNullException.ThrowIfNull(context);

            // On the pool, and awaited with the token: a script that never checks its token still cannot hold the
            // worker past a cancel or timeout (its thread runs on, but the attempt is reported and the slot freed).
            return Task.Run(() => compiled.RunAsync(context), CancellationToken.None).WaitAsync(context.CancellationToken);
        }

        throw new NonRetryableBlockException(
            $"block {block.Name} uses {block.Uses}; this version of duraflow runs script: blocks only (SQL, class and built-in blocks are not implemented yet)");
    }
}

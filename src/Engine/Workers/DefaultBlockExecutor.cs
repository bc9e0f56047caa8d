using Duraflow.Blocks;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Scripts;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Sql;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Runs blocks by kind: C# scripts and SQL files from the text pinned in the run's plan (scripts compiled once per
/// distinct text), built-in blocks from their settings, and compiled classes from <paramref name="classes"/>.
/// </summary>
/// <param name="scripts">Compiles scripts, e.g. one with the project's cache folder; default: cached in memory only.</param>
/// <param name="classes">Where <c>class:</c> blocks are found; without it they fail with the reason.</param>
internal sealed class DefaultBlockExecutor(ScriptCompiler? scripts = null, CompiledBlocks? classes = null) : IBlockExecutor
{
    private readonly ScriptCompiler _scripts = scripts ?? new ScriptCompiler();

    /// <inheritdoc/>
    public async Task<BlockValue> ExecuteAsync(RunPlan plan, BlockPlan block, BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(context);
        // On the pool, and awaited with the token: code that never checks its token still cannot hold the worker
        // past a cancel or timeout (its thread runs on, but the attempt is reported and the slot freed).
        return await Task.Run(() => RunAsync(plan, block, block.Uses, context), CancellationToken.None)
            .WaitAsync(context.CancellationToken).ConfigureAwait(false);
    }

    private async Task<BlockValue> RunAsync(RunPlan plan, BlockPlan block, BlockUses uses, BlockContext context)
    {
        if (uses.Kind is BlockKind.Script or BlockKind.Class)
        {
            // Code blocks read their with: through Setting<T> or a Run parameter, so it is filled in before they start.
            context.Settings = await CodeBlockSettings.RenderAsync(block.With, context).ConfigureAwait(false);
        }

        return await RunByKindAsync(plan, block, uses, context).ConfigureAwait(false);
    }

    private Task<BlockValue> RunByKindAsync(RunPlan plan, BlockPlan block, BlockUses uses, BlockContext context)
    {
        switch (uses.Kind)
        {
            case BlockKind.Script:
                return _scripts.Compile(DisplayPath(plan, uses), PinnedText(plan, block, uses), context.ProjectRoot).RunAsync(context);
            case BlockKind.Sql:
                return RunSqlAsync(DisplayPath(plan, uses), PinnedText(plan, block, uses), block, context);
            case BlockKind.BuiltIn:
                var builtIn = BuiltInBlocks.Find(uses.Target)
                    ?? throw new NonRetryableBlockException($"block {block.Name}: there is no built-in block {uses.Target}; `duraflow blocks` lists them");
                return RunBuiltInAsync(builtIn, block, context);
            case BlockKind.Class:
                var lookup = classes?.Find(uses.Target);
                return lookup?.Block?.RunAsync(context) ?? throw new NonRetryableBlockException(
                    $"block {block.Name} uses {block.Uses}, but {lookup?.Error ?? "this host loads no compiled blocks"}");
            default:
                throw new NonRetryableBlockException($"block {block.Name} uses {block.Uses}, a kind of block this version of duraflow cannot run");
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A compiled block's assembly version id, which a deterministic build changes only when the assembly's content
    /// does; a built-in's is that of the Duraflow build that runs it. Scripts and SQL are identified by their pinned text.
    /// </remarks>
    public string? CodeIdentity(BlockPlan block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return block.Uses.Kind switch
        {
            BlockKind.Class when classes?.Find(block.Uses.Target).Block is { } found => found.Type.Assembly.ManifestModule.ModuleVersionId.ToString("N"),
            BlockKind.BuiltIn => typeof(BuiltInBlocks).Assembly.ManifestModule.ModuleVersionId.ToString("N"),
            _ => null,
        };
    }

    private static async Task<BlockValue> RunSqlAsync(string displayPath, string sql, BlockPlan block, BlockContext context)
    {
        var settings = await BlockSettings.CreateAsync(block.With, "sql", SqlBlockSettings.Fields, context).ConfigureAwait(false);
        if (settings.Text("connection") is not null)
        {
            return await DatabaseSqlBlock.RunAsync(displayPath, sql, settings, context).ConfigureAwait(false);
        }

        return settings.Choice("materialize") == "none"
            ? await EmbeddedSqlBlock.RunAsync(displayPath, sql, context, SqlCheckpoint.From(settings, displayPath)).ConfigureAwait(false)
            : throw new NonRetryableBlockException(
                $"block {block.Name}: materialize keeps a result in a database, so it needs with.connection; the embedded engine's output is already a table");
    }

    private static async Task<BlockValue> RunBuiltInAsync(BuiltInBlock builtIn, BlockPlan block, BlockContext context)
    {
        var settings = await BlockSettings.CreateAsync(block.With, builtIn, context).ConfigureAwait(false);
        return await builtIn.Run(settings, context).ConfigureAwait(false);
    }

    private static string PinnedText(RunPlan plan, BlockPlan block, BlockUses uses) =>
        plan.Files.TryGetValue(uses.Target, out var text)
            ? text
            : throw new NonRetryableBlockException($"block {block.Name}: the run's pinned definition has no copy of {uses.Target}");

    private static string DisplayPath(RunPlan plan, BlockUses uses) => $"pipelines/{plan.Pipeline}/{uses.Target}";
}

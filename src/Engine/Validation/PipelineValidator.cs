using Duraflow.Blocks.BuiltIns;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Scripts;
using Duraflow.Blocks.Sql;
using Duraflow.Blocks.Templates;
using Duraflow.Blocks.Text;
using Duraflow.Engine.Dag;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Loading;
using Duraflow.Engine.Projects;

namespace Duraflow.Engine.Validation;

/// <summary>
/// Checks what the YAML reader cannot check alone: that files and classes named by <c>uses:</c> exist, that every
/// referenced block and parameter exists, that dependencies form no cycle and, when given a compiler, that C# scripts
/// compile. Also infers each block's upstream set.
/// </summary>
internal static class PipelineValidator
{
    /// <summary>Loads and validates the pipeline.yaml at <paramref name="path"/>.</summary>
    /// <param name="path">The pipeline.yaml.</param>
    /// <param name="displayPath">How diagnostics name the file; default: relative to the current directory.</param>
    /// <param name="scripts">Compiles each C# script to report its errors (DF022); null leaves scripts uncompiled.</param>
    /// <param name="classes">
    /// Where <c>class:</c> blocks are looked up; their typed inputs become dependencies. Without it class blocks are
    /// not checked and depend only on what their <c>upstream</c>, <c>with</c> and <c>when</c> name.
    /// </param>
    public static ValidatedPipeline Validate(string path, string? displayPath = null, ScriptCompiler? scripts = null, CompiledBlocks? classes = null) =>
        Validate(PipelineLoader.Load(path, displayPath), scripts, classes);

    /// <summary>Validates an already loaded pipeline; the compilers as for <see cref="Validate(string, string?, ScriptCompiler?, CompiledBlocks?)"/>.</summary>
    public static ValidatedPipeline Validate(PipelineLoadResult loaded, ScriptCompiler? scripts = null, CompiledBlocks? classes = null)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(loaded.Diagnostics);
        var definition = loaded.Definition;
        if (definition is null)
        {
            return new ValidatedPipeline(loaded.DisplayPath, null, null, diagnostics.Sorted());
        }

        var files = new BlockFileReader(definition, Path.GetDirectoryName(loaded.DisplayPath) ?? ".", diagnostics, scripts);
        var compiled = new ClassBlockReader(classes, loaded, diagnostics);
        var upstream = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        foreach (var block in definition.Blocks)
        {
            var references = block.ExplicitUpstream.Concat(block.TemplateReferences).Concat(files.ReferencesOf(block)).Concat(compiled.ReferencesOf(block));
            var names = new List<string>();
            foreach (var reference in references)
            {
                if (reference.Root == ScriptReferenceScanner.Settings)
                {
                    CheckSetting(reference, block, diagnostics);
                }
                else if (Check(reference, $"block '{block.Name}'", loaded, diagnostics) && reference.Root == TemplateRoots.Blocks)
                {
                    names.Add(reference.Name);
                }
            }

            upstream[block.Name] = names;
        }

        foreach (var reference in definition.TemplateReferences)
        {
            Check(reference, "an alert", loaded, diagnostics);
        }

        var graph = PipelineGraph.Build(definition.Blocks, upstream);
        foreach (var cycle in graph.Cycles)
        {
            diagnostics.Error(DiagnosticCodes.Cycle, graph[cycle[0]].Location, $"dependency cycle: {string.Join(" -> ", cycle)}; remove one of these references so the blocks can be ordered");
        }

        if (graph.IsAcyclic)
        {
            CheckFanOuts(graph, diagnostics);
        }

        // Found once per pipeline: a script's #load helpers are read from disk to tell.
        var checkpointUsers = CheckpointUsers(definition, files.Texts);
        CheckCheckpointUsers(checkpointUsers, diagnostics);
        CheckCheckpointSetters(definition, graph, diagnostics);
        var checkpointUser = checkpointUsers.FirstOrDefault()?.Name;
        if (definition.Concurrency > 1 && checkpointUser is { } reader)
        {
            diagnostics.Error(DiagnosticCodes.BadValue, definition.Location,
                $"pipeline '{definition.Name}' has concurrency {definition.Concurrency}, but block '{reader}' reads a checkpoint: two runs at once would read the same watermark and load the same rows twice. Leave concurrency out (such a pipeline runs one run at a time) or set it to 1");
        }

        return new ValidatedPipeline(loaded.DisplayPath, definition, graph, diagnostics.Sorted()) { Files = files.Texts, CheckpointUser = checkpointUser };
    }

    // A block reading a fan-out block runs once per item; one level of that is what the engine runs.
    private static void CheckFanOuts(PipelineGraph graph, DiagnosticBag diagnostics)
    {
        foreach (var block in graph.Blocks)
        {
            var fanOuts = graph.Upstream(block.Name).Where(u => u.FanOut).Select(u => u.Name).ToList();
            if (fanOuts.Count > 1)
            {
                diagnostics.Error(DiagnosticCodes.NestedFanOut, block.Location, $"block '{block.Name}' reads fan-out blocks {string.Join(" and ", fanOuts)}; it can run once per item of only one of them, so make one of them a plain block");
            }
            else if (fanOuts.Count == 1 && block.FanOut)
            {
                diagnostics.Error(DiagnosticCodes.NestedFanOut, block.Location, $"block '{block.Name}' has fan_out: true but already runs once per item of '{fanOuts[0]}'; nested fan-out is not supported, so remove one of the two fan_out keys");
            }
        }
    }

    // A script's Setting("NAME") reads its own block's with:, so the name must be set there.
    private static void CheckSetting(DefinitionReference reference, BlockDefinition block, DiagnosticBag diagnostics)
    {
        if (block.With.ContainsKey(reference.Name))
        {
            return;
        }

        var hint = EditDistance.DidYouMean(reference.Name, block.With.Keys);
        var known = block.With.Count == 0 ? "it sets none" : $"it sets {string.Join(", ", block.With.Keys.Order(StringComparer.Ordinal))}";
        diagnostics.Error(DiagnosticCodes.UnknownSetting, reference.Location,
            $"the script reads setting '{reference.Name}', which block '{block.Name}' does not set under with: ({known}); {hint}add it to the block's with:");
    }

    // Reports a reference to a block or parameter that does not exist; true when the reference is usable.
    private static bool Check(DefinitionReference reference, string user, PipelineLoadResult loaded, DiagnosticBag diagnostics)
    {
        var (declared, kind, code) = reference.Root switch
        {
            TemplateRoots.Blocks => (loaded.DeclaredBlockNames, "block", DiagnosticCodes.UnknownBlockReference),
            TemplateRoots.Params => (loaded.DeclaredParameterNames, "parameter", DiagnosticCodes.UnknownParameter),
            _ => (null, null, null),
        };
        if (declared is null || declared.Contains(reference.Name))
        {
            return true;
        }

        var hint = EditDistance.DidYouMean(reference.Name, declared);
        var known = declared.Count == 0 ? $"the pipeline declares no {kind}s" : $"known {kind}s are {string.Join(", ", declared.Order(StringComparer.Ordinal))}";
        diagnostics.Error(code!, reference.Location, $"{user} references unknown {kind} '{reference.Name}'; {hint}{known}");
        return false;
    }

    // A block that reads or sets a checkpoint cannot be cached (a cached output would repeat the rows it read last
    // time while the watermark stood still: its key cannot see the value) nor repeated (each iteration would read the
    // same watermark: what one sets commits only with the run).
    private static void CheckCheckpointUsers(IReadOnlyList<BlockDefinition> users, DiagnosticBag diagnostics)
    {
        foreach (var block in users.Where(b => b.Cache is not null || b.Repeat is not null))
        {
            diagnostics.Error(DiagnosticCodes.BadValue, block.Location, block.Cache is not null
                ? $"block '{block.Name}' reads or sets a checkpoint, so it cannot be cached: a cached output would repeat the rows it read before while the watermark stood still. Remove 'cache', or move the incremental read to a block without it"
                : $"block '{block.Name}' reads or sets a checkpoint, so it cannot repeat: a checkpoint commits when the run succeeds, so every iteration would read the same watermark. Remove 'repeat', or page through the rows inside the block");
        }
    }

    // The SQL blocks and incremental readers that set a checkpoint each need one of their own: two setters of one name
    // (two blocks, or the items of a block run per item) would overwrite each other's watermark in the run, and the
    // rows only one of them read past would be skipped next time. A templated name may differ per item, so it passes.
    private static void CheckCheckpointSetters(PipelineDefinition definition, PipelineGraph graph, DiagnosticBag diagnostics)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var block in definition.Blocks)
        {
            if (CheckpointSet(block) is not { } name || name.Contains("{{", StringComparison.Ordinal))
            {
                continue;
            }

            if (graph.Upstream(block.Name).FirstOrDefault(u => u.FanOut) is { } fanOut)
            {
                diagnostics.Error(DiagnosticCodes.BadValue, block.Location,
                    $"block '{block.Name}' runs once per item of '{fanOut.Name}', and every item would set checkpoint '{name}', each overwriting the others' watermark; read incrementally before the fan-out, or name the checkpoint per item with a template");
            }
            else if (!owners.TryAdd(name, block.Name))
            {
                diagnostics.Error(DiagnosticCodes.BadValue, block.Location,
                    $"blocks '{owners[name]}' and '{block.Name}' both set checkpoint '{name}', so one would overwrite the other's watermark; give each its own name (with.checkpoint.name, or incremental.checkpoint)");
            }
        }
    }

    // The checkpoint a SQL block's with.checkpoint or a reader's with.incremental sets, as written; null for none.
    private static string? CheckpointSet(BlockDefinition block)
    {
        if (BlockReader.IsSql(block.Uses) && block.With.GetValueOrDefault(SqlCheckpoint.Setting) is IReadOnlyDictionary<string, object?> sql)
        {
            return sql.GetValueOrDefault("name") as string;
        }

        return BlockReader.IsIncrementalReader(block.Uses) && block.With.GetValueOrDefault(IncrementalRead.Setting) is IReadOnlyDictionary<string, object?> read
            ? read.GetValueOrDefault("checkpoint") as string ?? block.Name
            : null;
    }

    /// <summary>
    /// The blocks that read or set a checkpoint, in definition order: a pipeline with one runs one run at a time, so
    /// that two runs never read the same watermark. Scripts' <c>#load</c> helpers are read from the pipeline's folder.
    /// </summary>
    private static List<BlockDefinition> CheckpointUsers(PipelineDefinition definition, IReadOnlyDictionary<string, string> texts)
    {
        var folder = definition.Directory;
        var projectRoot = new Lazy<string>(() => DuraflowProject.FindRoot(folder) ?? folder);
        return [.. definition.Blocks.Where(b => UsesCheckpoints(b, texts, folder, projectRoot))];
    }

    // A script that names Checkpoint (reading or setting one, itself or in a #load helper), a SQL block that sets one,
    // an incremental file reader, or any block whose settings or SQL read {{ checkpoint.NAME }}. Compiled blocks are
    // not read: their pipelines set concurrency themselves.
    private static bool UsesCheckpoints(BlockDefinition block, IReadOnlyDictionary<string, string> texts, string folder, Lazy<string> projectRoot)
    {
        if (block.TemplateReferences.Any(r => r.Root == TemplateRoots.Checkpoint)
            || (BlockReader.IsSql(block.Uses) && block.With.ContainsKey(SqlCheckpoint.Setting))
            || (BlockReader.IsIncrementalReader(block.Uses) && block.With.ContainsKey(IncrementalRead.Setting)))
        {
            return true;
        }

        if (!texts.TryGetValue(block.Uses.Target, out var text))
        {
            return false;
        }

        return block.Uses.Kind switch
        {
            BlockKind.Script => NamesCheckpoint(text)
                || ScriptLoads.Of(text, Path.GetFullPath(Path.Combine(folder, block.Uses.Target)), projectRoot.Value)
                    .Any(l => l.Text is { } helper && NamesCheckpoint(helper)),
            BlockKind.Sql => TemplateScanner.Scan(text).References.Any(r => r.Root == TemplateRoots.Checkpoint),
            _ => false,
        };
    }

    private static bool NamesCheckpoint(string code) => code.Contains("Checkpoint", StringComparison.Ordinal);
}

using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Compiled;
using Duraflow.Blocks.Templates;
using Duraflow.Blocks.Text;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Loading;
using Duraflow.Engine.Projects;

namespace Duraflow.Engine.Validation;

/// <summary>
/// Looks up the classes that <c>class:</c> blocks name and turns the typed parameters of their <c>Run</c> method into
/// references: a parameter named like a block (in snake_case) reads that block's output and so depends on it, one
/// named like a run parameter reads the parameter. Problems are reported at the block's <c>uses:</c>.
/// </summary>
internal sealed class ClassBlockReader(CompiledBlocks? classes, PipelineLoadResult loaded, DiagnosticBag diagnostics)
{
    private bool _reportedBuild;

    public IReadOnlyList<DefinitionReference> ReferencesOf(BlockDefinition block)
    {
        // Without compiled blocks (a host that does not load them) class blocks are left for run time.
        if (classes is null || block.Uses.Kind != BlockKind.Class)
        {
            return [];
        }

        var lookup = classes.Find(block.Uses.Target);
        if (!_reportedBuild)
        {
            // The build's own errors belong to the blocks' files; report them with the first class block only.
            diagnostics.AddRange(classes.Diagnostics);
            _reportedBuild = true;
        }

        if (lookup.Block is not { } found)
        {
            var code = lookup.Problem switch
            {
                ClassBlockProblem.NotABlock => DiagnosticCodes.NotABlockClass,
                ClassBlockProblem.Unavailable => DiagnosticCodes.BlocksBuildFailed,
                _ => DiagnosticCodes.UnknownClass,
            };
            diagnostics.Error(code, block.UsesLocation, $"block '{block.Name}' uses {block.Uses}, but {lookup.Error}");
            return [];
        }

        var references = new List<DefinitionReference>();
        foreach (var value in found.Values)
        {
            var name = value.ValueName!;
            if (loaded.DeclaredBlockNames.Contains(name))
            {
                references.Add(new DefinitionReference(TemplateRoots.Blocks, name, block.UsesLocation));
            }
            else if (loaded.DeclaredParameterNames.Contains(name))
            {
                references.Add(new DefinitionReference(TemplateRoots.Params, name, block.UsesLocation));
            }
            else
            {
                diagnostics.Error(DiagnosticCodes.UnknownClassInput, block.UsesLocation, Unknown(block, found, value));
            }
        }

        return references;
    }

    private string Unknown(BlockDefinition block, ClassBlock found, ClassBlockParameter value)
    {
        var names = loaded.DeclaredBlockNames.Concat(loaded.DeclaredParameterNames).ToList();
        var hint = EditDistance.DidYouMean(value.ValueName!, names);
        var blocks = loaded.DeclaredBlockNames.Count == 0 ? "none" : string.Join(", ", loaded.DeclaredBlockNames.Order(StringComparer.Ordinal));
        var parameters = loaded.DeclaredParameterNames.Count == 0 ? "none" : string.Join(", ", loaded.DeclaredParameterNames.Order(StringComparer.Ordinal));
        var renamed = value.Name == value.ValueName ? string.Empty : " (its name in snake_case)";
        return $"block '{block.Name}': parameter '{value.Name}' of {found.Type.FullName}.{found.Method.Name} reads '{value.ValueName}'{renamed}, "
            + $"which is no block or parameter of the pipeline; {hint}a parameter reads the block or run parameter with its name in snake_case "
            + $"(blocks: {blocks}; parameters: {parameters})";
    }
}

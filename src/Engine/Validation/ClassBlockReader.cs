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
/// named like a key of the block's <c>with:</c> reads that setting, one named like a run parameter reads the
/// parameter. Problems are reported at the block's <c>uses:</c>, or at the <c>with:</c> key they concern.
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
            if (block.With.ContainsKey(name))
            {
                if (loaded.DeclaredBlockNames.Contains(name))
                {
                    diagnostics.Error(DiagnosticCodes.SettingNamesBlock, WithLocation(block, name),
                        $"block '{block.Name}': with.{name} has the name of block '{name}', and parameter '{value.Name}' of {found.Type.FullName}.{found.Method.Name} "
                        + "cannot read both; rename the setting and the parameter");
                }
            }
            else if (loaded.DeclaredBlockNames.Contains(name))
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

        ReportUnreadSettings(block, found);
        return references;
    }

    // A with: key that no parameter reads would be silently ignored, unless the method takes the context and may read
    // it from BlockContext.Settings.
    private void ReportUnreadSettings(BlockDefinition block, ClassBlock found)
    {
        if (found.Parameters.Any(p => p.Kind == ClassBlockParameterKind.Context))
        {
            return;
        }

        var read = found.Values.Select(v => v.ValueName!).ToList();
        foreach (var key in block.With.Keys.Where(k => !read.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            var hint = EditDistance.DidYouMean(key, read);
            var parameters = read.Count == 0 ? "it reads none by name" : $"its parameters read {string.Join(", ", read)}";
            diagnostics.Error(DiagnosticCodes.UnknownSetting, WithLocation(block, key),
                $"block '{block.Name}': with.{key} is read by no parameter of {found.Type.FullName}.{found.Method.Name} ({parameters}); {hint}"
                + $"add a parameter {CamelCase(key)} to {found.Method.Name}, or remove the setting");
        }
    }

    // per_country → perCountry: the C# name whose snake_case is the key.
    private static string CamelCase(string key)
    {
        var parts = key.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? key : parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static SourceLocation WithLocation(BlockDefinition block, string key) =>
        block.WithLocations.TryGetValue(key, out var location) ? location : block.UsesLocation;

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

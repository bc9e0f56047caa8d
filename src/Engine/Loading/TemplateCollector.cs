using Duraflow.Blocks.Templates;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Scans template text in YAML scalars, reporting bad templates and keeping located references.</summary>
internal static class TemplateCollector
{
    /// <summary>
    /// Reports bad templates in <paramref name="scalar"/> and adds its references; <paramref name="values"/> is false
    /// for a <c>when</c> condition, whose templates are expressions rather than values; <paramref name="valueRoot"/>
    /// names a whole value the text may read besides the roots (<c>output</c> in a <c>repeat.until</c>);
    /// <paramref name="checkpoints"/> is true where a block's attempt renders the text and so can read checkpoints
    /// (its <c>with:</c>); elsewhere (conditions, cache keys, alerts) the run decides without them, and they are refused.
    /// </summary>
    public static void Collect(
        LoadContext context, YamlScalarNode scalar, List<DefinitionReference> references, bool values = true, string? valueRoot = null, bool checkpoints = false)
    {
        var value = scalar.Value ?? string.Empty;
        if (!value.Contains("{{", StringComparison.Ordinal))
        {
            return;
        }

        var scan = TemplateScanner.Scan(value, values, valueRoot);
        foreach (var problem in scan.Problems)
        {
            context.Diagnostics.Error(DiagnosticCodes.BadTemplate, context.At(scalar, problem.Position), problem.Message);
        }

        foreach (var reference in scan.References)
        {
            if (!checkpoints && reference.Root == TemplateRoots.Checkpoint)
            {
                context.Diagnostics.Error(DiagnosticCodes.BadTemplate, context.At(scalar, reference.Position),
                    $"'{reference.Path}' reads a checkpoint, which only a block's with: settings and SQL can read; move the comparison into the block's SQL or script");
                continue;
            }

            references.Add(new DefinitionReference(reference.Root, reference.Name, context.At(scalar, reference.Position)));
        }
    }
}

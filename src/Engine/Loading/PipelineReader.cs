using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Reads the top level of a pipeline.yaml document.</summary>
internal static class PipelineReader
{
    private static readonly string[] Keys =
        ["name", "description", "tags", "parameters", "retry", "timeout", "concurrency", "sla", "blocks", "triggers", "alerts", "limits", "output"];

    public static (PipelineDefinition? Definition, HashSet<string> DeclaredBlockNames, HashSet<string> DeclaredParameterNames) Read(LoadContext context, YamlNode root, string sourceFile)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var declaredParameters = new HashSet<string>(StringComparer.Ordinal);
        var map = context.Map(root, "pipeline.yaml", Keys);
        if (map is null)
        {
            return (null, declared, declaredParameters);
        }

        if (map["parameters"] is YamlMappingNode parameterMap)
        {
            declaredParameters.UnionWith(parameterMap.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty));
        }

        var nameNode = map.Required("name", "a pipeline");
        var name = nameNode is null ? null : context.Name(nameNode, "pipeline name");
        var retry = map["retry"] is { } r ? RetryReader.Read(context, r, "pipeline 'retry'", RetryPolicy.Default) : RetryPolicy.Default;

        var blocks = new List<BlockDefinition>();
        if (map.Required("blocks", "a pipeline") is { } blocksNode && context.Sequence(blocksNode, "blocks") is { } sequence)
        {
            if (sequence.Children.Count == 0)
            {
                context.Error(DiagnosticCodes.MissingKey, sequence, "a pipeline needs at least one block under 'blocks'");
            }

            foreach (var item in sequence.Children)
            {
                var (blockName, nameLocation, block) = BlockReader.Read(context, item, retry);
                if (blockName is not null && !declared.Add(blockName))
                {
                    context.Diagnostics.Error(DiagnosticCodes.DuplicateName, nameLocation, $"block name '{blockName}' is already used by another block of this pipeline; block names must be unique");
                    continue;
                }

                if (block is not null)
                {
                    blocks.Add(block);
                }
            }
        }

        var references = new List<DefinitionReference>();
        var (alerts, inheritAlerts) = map["alerts"] is { } a ? AlertReader.ReadPipeline(context, a, references) : (new List<AlertDefinition>(), true);
        var definition = new PipelineDefinition
        {
            Name = name ?? Path.GetFileName(Path.GetDirectoryName(sourceFile)) ?? "pipeline",
            SourceFile = sourceFile,
            Location = context.At(nameNode ?? root),
            Description = map["description"] is { } d ? context.String(d, "pipeline 'description'") : null,
            Tags = map["tags"] is { } t ? [.. context.ScalarList(t, "'tags'").Select(s => s.Value ?? string.Empty)] : [],
            Parameters = map["parameters"] is { } p ? ParameterReader.Read(context, p) : [],
            Retry = retry,
            Timeout = map["timeout"] is { } timeout ? context.Duration(timeout, "pipeline 'timeout'") : null,
            Concurrency = map["concurrency"] is { } c ? context.Int(c, "'concurrency'", min: 1) : null,
            Sla = map["sla"] is { } sla ? SlaReader.Read(context, sla, "'sla'") : null,
            Limits = map["limits"] is { } l ? LimitListReader.Read(context, l, "pipeline 'limits'") : [],
            Output = map["output"] is { } o ? ReadOutput(context, o, declared) : null,
            Blocks = blocks,
            Triggers = map["triggers"] is { } tr ? TriggerReader.Read(context, tr) : [],
            Alerts = alerts,
            InheritAlerts = inheritAlerts,
            TemplateReferences = references,
        };
        return (definition, declared, declaredParameters);
    }

    // 'output' names one block of this pipeline: the one whose output a parent running it gets.
    private static DefinitionReference? ReadOutput(LoadContext context, YamlNode node, HashSet<string> declared)
    {
        if (context.String(node, "'output'") is not { } name)
        {
            return null;
        }

        if (!declared.Contains(name))
        {
            context.Error(DiagnosticCodes.UnknownBlockReference, node, $"'output' names block '{name}', which this pipeline does not have; {Blocks.Text.EditDistance.DidYouMean(name, declared)}its blocks are {string.Join(", ", declared.Order(StringComparer.Ordinal))}");
            return null;
        }

        return new DefinitionReference(Blocks.Templates.TemplateRoots.Blocks, name, context.At(node));
    }
}

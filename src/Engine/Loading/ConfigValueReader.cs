using Duraflow.Engine.Definitions;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>
/// Turns a block's free-form <c>with</c> map into plain values (string, long, double, bool, null, lists and maps)
/// and collects the template references in its strings.
/// </summary>
internal static class ConfigValueReader
{
    public static Dictionary<string, object?> ReadMap(LoadContext context, YamlMappingNode node, List<DefinitionReference> references)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode { Value: { } name })
            {
                map[name] = Read(context, value, references);
            }
            else
            {
                context.Error(Diagnostics.DiagnosticCodes.WrongType, key, "keys in 'with' must be plain names");
            }
        }

        return map;
    }

    private static object? Read(LoadContext context, YamlNode node, List<DefinitionReference> references) =>
        context.TakeValue(node) ? ReadValue(context, node, references) : null;

    private static object? ReadValue(LoadContext context, YamlNode node, List<DefinitionReference> references) => node switch
    {
        YamlMappingNode mapping => ReadMap(context, mapping, references),
        YamlSequenceNode sequence => sequence.Children.Select(item => Read(context, item, references)).ToList(),
        YamlScalarNode scalar => ReadScalar(context, scalar, references),
        _ => null,
    };

    private static object? ReadScalar(LoadContext context, YamlScalarNode scalar, List<DefinitionReference> references)
    {
        TemplateCollector.Collect(context, scalar, references, checkpoints: true);
        return YamlScalars.Interpret(scalar);
    }
}

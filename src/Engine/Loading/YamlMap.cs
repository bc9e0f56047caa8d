using Duraflow.Blocks.Text;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>A YAML map whose keys were checked against the keys its place in the format allows.</summary>
internal sealed class YamlMap
{
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);

    public YamlMap(YamlMappingNode node, LoadContext context, string what, IReadOnlyList<string> allowedKeys)
    {
        Node = node;
        Context = context;
        foreach (var (keyNode, value) in node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            if (key is null)
            {
                context.Error(DiagnosticCodes.WrongType, keyNode, $"keys in {what} must be plain names");
                continue;
            }

            if (!allowedKeys.Contains(key, StringComparer.Ordinal))
            {
                var hint = EditDistance.DidYouMean(key, allowedKeys);
                context.Error(DiagnosticCodes.UnknownKey, keyNode, $"unknown key '{key}' in {what}; {hint}allowed keys are {string.Join(", ", allowedKeys)}");
                continue;
            }

            _values[key] = value;
        }
    }

    public YamlMappingNode Node { get; }

    public LoadContext Context { get; }

    /// <summary>The value of a known key, or null when it is absent or explicitly empty.</summary>
    public YamlNode? this[string key] => _values.TryGetValue(key, out var value) && !LoadContext.IsNull(value) ? value : null;

    /// <summary>The value of a key that must be present; reports it missing otherwise.</summary>
    public YamlNode? Required(string key, string what)
    {
        var value = this[key];
        if (value is null)
        {
            Context.Error(DiagnosticCodes.MissingKey, Node, $"{what} needs '{key}'");
        }

        return value;
    }
}

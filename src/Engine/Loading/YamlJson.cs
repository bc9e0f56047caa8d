using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Converts a YAML node to JSON for <c>json</c> parameters.</summary>
internal static class YamlJson
{
    public static JsonNode? ToJson(LoadContext context, YamlNode node) => !context.TakeValue(node) ? null : node switch
    {
        YamlMappingNode mapping => ToObject(context, mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(item => ToJson(context, item))]),
        YamlScalarNode scalar => YamlScalars.Interpret(scalar) switch
        {
            null => null,
            bool b => JsonValue.Create(b),
            long l => JsonValue.Create(l),
            double d => JsonValue.Create(d),
            var other => JsonValue.Create((string)other),
        },
        _ => null,
    };

    // Key by key: two keys that read the same (a tagged and a plain "a") keep the last value instead of throwing.
    private static JsonObject ToObject(LoadContext context, YamlMappingNode mapping)
    {
        var json = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            json[(key as YamlScalarNode)?.Value ?? key.ToString()] = ToJson(context, value);
        }

        return json;
    }
}

using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Converts a YAML node to JSON for <c>json</c> parameters.</summary>
internal static class YamlJson
{
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(kv =>
            KeyValuePair.Create((kv.Key as YamlScalarNode)?.Value ?? string.Empty, ToJson(kv.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
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
}

using System.Text.Json.Nodes;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Reads <c>parameters:</c>, a map from name to a spec (or to a bare type name).</summary>
internal static class ParameterReader
{
    private static readonly string[] Keys = ["type", "default", "required", "allowed", "description", "secret"];

    public static List<ParameterDefinition> Read(LoadContext context, YamlNode node)
    {
        var parameters = new List<ParameterDefinition>();
        if (node is not YamlMappingNode mapping)
        {
            context.Error(DiagnosticCodes.WrongType, node, $"parameters must be a map from parameter name to its spec, not {LoadContext.Describe(node)}");
            return parameters;
        }

        foreach (var (keyNode, spec) in mapping.Children)
        {
            var name = context.Name(keyNode, "parameter name");
            if (name is not null && ReadOne(context, name, keyNode, spec) is { } parameter)
            {
                parameters.Add(parameter);
            }
        }

        return parameters;
    }

    private static ParameterDefinition? ReadOne(LoadContext context, string name, YamlNode keyNode, YamlNode spec)
    {
        var what = $"parameter '{name}'";

        // Shorthand: "days: int" declares the type only.
        if (spec is YamlScalarNode shorthand && !LoadContext.IsNull(spec))
        {
            return ReadType(context, shorthand, what) is { } type
                ? new ParameterDefinition { Name = name, Type = type, Location = context.At(keyNode) }
                : null;
        }

        var map = context.Map(spec, what, Keys);
        if (map is null)
        {
            return null;
        }

        var parsedType = map["type"] is { } typeNode ? ReadType(context, typeNode, what) : ParameterType.String;
        if (parsedType is not { } parameterType)
        {
            return null;
        }

        var required = map["required"] is { } requiredNode && context.Bool(requiredNode, $"{what} 'required'") == true;
        var allowed = map["allowed"] is { } allowedNode ? ReadAllowed(context, allowedNode, parameterType, what) : [];
        object? defaultValue = null;
        if (map["default"] is { } defaultNode)
        {
            defaultValue = ReadValue(context, defaultNode, parameterType, $"default of {what}");
            if (required)
            {
                context.Error(DiagnosticCodes.BadParameterDefault, defaultNode, $"{what} is required and also has a default; remove 'required: true' or the default");
            }
            else if (defaultValue is not null && allowed.Count > 0 && !allowed.Any(a => SameValue(a, defaultValue)))
            {
                context.Error(DiagnosticCodes.BadParameterDefault, defaultNode, $"default of {what} is not one of its allowed values ({string.Join(", ", allowed.Select(Show))})");
            }
        }

        var secret = map["secret"] is { } secretNode && context.Bool(secretNode, $"{what} 'secret'") == true;
        if (secret && map["default"] is { } secretDefault)
        {
            // A default is written in pipeline.yaml, in the repository: that is no place for a secret.
            context.Error(DiagnosticCodes.BadParameterDefault, secretDefault,
                $"{what} is secret, so it cannot have a default written in pipeline.yaml; pass it when starting a run, or read a secret store value with {{{{ secrets.NAME }}}}");
        }

        return new ParameterDefinition
        {
            Name = name,
            Type = parameterType,
            Default = defaultValue,
            Required = required,
            Allowed = allowed,
            Secret = secret,
            Description = map["description"] is { } description ? context.String(description, $"{what} 'description'") : null,
            Location = context.At(keyNode),
        };
    }

    private static ParameterType? ReadType(LoadContext context, YamlNode node, string what)
    {
        return context.Choice(node, ParameterValues.TypeNames, $"type of {what}") is { } index ? (ParameterType)index : null;
    }

    private static List<object> ReadAllowed(LoadContext context, YamlNode node, ParameterType type, string what)
    {
        var values = new List<object>();
        if (context.Sequence(node, $"'allowed' of {what}") is not { } sequence)
        {
            return values;
        }

        foreach (var item in sequence.Children)
        {
            if (ReadValue(context, item, type, $"allowed value of {what}") is { } value)
            {
                values.Add(value);
            }
        }

        return values;
    }

    private static object? ReadValue(LoadContext context, YamlNode node, ParameterType type, string what)
    {
        if (type == ParameterType.Json)
        {
            return YamlJson.ToJson(context, node);
        }

        if (node is not YamlScalarNode scalar || LoadContext.IsNull(node))
        {
            context.Error(DiagnosticCodes.BadParameterDefault, node, $"{what} must be a single {type.ToString().ToLowerInvariant()} value, not {LoadContext.Describe(node)}");
            return null;
        }

        if (ParameterValues.TryConvert(scalar.Value ?? string.Empty, type, out var value, out var expected))
        {
            return value;
        }

        context.Error(DiagnosticCodes.BadParameterDefault, node, $"{what} '{scalar.Value}' is not {expected}");
        return null;
    }

    private static bool SameValue(object a, object b) =>
        a is JsonNode ja && b is JsonNode jb ? JsonNode.DeepEquals(ja, jb) : a.Equals(b);

    private static string Show(object value) => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Duraflow.Infra.Tests;

/// <summary>
/// A compiled ARM template and the module deployments nested in it, read the way the tests need: every resource with
/// the deployment it sits in, and whole-value references (<c>[parameters('x')]</c>, <c>[variables('x')]</c>) followed
/// up through the deployments to the value main.bicep passes.
/// </summary>
internal sealed partial class ArmTemplate
{
    private ArmTemplate(JsonObject template, string name, ArmTemplate? parent, JsonObject? parameterValues)
    {
        Template = template;
        Name = name;
        Parent = parent;
        ParameterValues = parameterValues ?? [];
        Deployments = [.. Entries(template["resources"])
            .Where(r => Type(r.Resource) == "Microsoft.Resources/deployments")
            .Select(r => new ArmTemplate(
                r.Resource["properties"]!["template"]!.AsObject(), r.Symbol, this, r.Resource["properties"]!["parameters"]?.AsObject()))];
    }

    /// <summary>The template JSON.</summary>
    public JsonObject Template { get; }

    /// <summary>The symbolic name of the module in its parent (<c>main</c> for the top).</summary>
    public string Name { get; }

    public ArmTemplate? Parent { get; }

    /// <summary>The values the parent passes to this module's parameters.</summary>
    public JsonObject ParameterValues { get; }

    public IReadOnlyList<ArmTemplate> Deployments { get; }

    public JsonObject Parameters => Template["parameters"]?.AsObject() ?? [];

    public JsonObject Variables => Template["variables"]?.AsObject() ?? [];

    public JsonObject Outputs => Template["outputs"]?.AsObject() ?? [];

    public static ArmTemplate Load(string path) => new(JsonNode.Parse(File.ReadAllText(path))!.AsObject(), "main", null, null);

    /// <summary>This template and every module under it.</summary>
    public IEnumerable<ArmTemplate> AllTemplates() => Deployments.SelectMany(d => d.AllTemplates()).Prepend(this);

    /// <summary>The module deployed under symbolic name <paramref name="symbol"/>.</summary>
    public ArmTemplate Module(string symbol) => Deployments.Single(d => d.Name == symbol);

    /// <summary>Resources declared here (not in modules), without <c>existing</c> references.</summary>
    public IEnumerable<ArmResource> Resources() =>
        Entries(Template["resources"])
            .Where(r => r.Resource["existing"]?.GetValue<bool>() != true && Type(r.Resource) != "Microsoft.Resources/deployments")
            .Select(r => new ArmResource(r.Symbol, Type(r.Resource), r.Resource, this));

    /// <summary>Every deployed resource in this template and its modules.</summary>
    public IEnumerable<ArmResource> AllResources() => AllTemplates().SelectMany(t => t.Resources());

    public IEnumerable<ArmResource> AllResources(string type) => AllResources().Where(r => r.Type == type);

    /// <summary>
    /// <paramref name="value"/> with whole-value parameter and variable references replaced by what they stand for,
    /// through as many modules as it takes; arrays and objects are resolved element by element.
    /// </summary>
    /// <param name="value">A value of this template.</param>
    /// <param name="defaults">False keeps a reference to a parameter of main.bicep that nothing passes (such as
    /// <c>[parameters('principalId')]</c>) instead of replacing it with the parameter's default.</param>
    public JsonNode? Resolve(JsonNode? value, bool defaults = true)
    {
        switch (value)
        {
            case JsonArray array:
                return new JsonArray([.. array.Select(v => Resolve(v, defaults))]);
            case JsonObject obj:
                return new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value, defaults))));
            case JsonValue scalar when scalar.TryGetValue<string>(out var text):
                if (WholeReference().Match(text) is { Success: true } match)
                {
                    var name = match.Groups["name"].Value;
                    if (match.Groups["kind"].Value == "variables")
                    {
                        return Resolve(Variables[name], defaults);
                    }

                    return defaults || ParameterValues[name] is not null ? ParameterValue(name, defaults) : scalar.DeepClone();
                }

                return scalar.DeepClone();
            default:
                return value?.DeepClone();
        }
    }

    /// <summary>The value parameter <paramref name="name"/> gets: what the parent passes, resolved there, else its default.</summary>
    public JsonNode? ParameterValue(string name, bool defaults = true)
    {
        if (ParameterValues[name] is JsonObject passed && Parent is not null)
        {
            return Parent.Resolve(passed["value"], defaults);
        }

        return Parameters[name]?["defaultValue"]?.DeepClone();
    }

    private static string Type(JsonNode resource) => resource["type"]!.GetValue<string>();

    // languageVersion 2.0 templates keep resources in an object keyed by symbolic name; older ones in an array.
    private static IEnumerable<(string Symbol, JsonObject Resource)> Entries(JsonNode? resources) => resources switch
    {
        JsonObject bySymbol => bySymbol.Select(p => (p.Key, p.Value!.AsObject())),
        JsonArray list => list.Select((r, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), r!.AsObject())),
        _ => [],
    };

    [GeneratedRegex(@"^\[(?<kind>parameters|variables)\('(?<name>[A-Za-z0-9_]+)'\)\]$")]
    private static partial Regex WholeReference();
}

/// <summary>One resource of a template, with the template it is declared in.</summary>
internal sealed record ArmResource(string Symbol, string Type, JsonObject Json, ArmTemplate Template)
{
    public JsonNode? Properties => Json["properties"];

    /// <summary>A property path such as <c>properties.minimumTlsVersion</c>, resolved through parameters and variables.</summary>
    public JsonNode? Get(string path)
    {
        JsonNode? node = Json;
        foreach (var part in path.Split('.'))
        {
            node = Template.Resolve(node)?[part];
        }

        return Template.Resolve(node);
    }

    public override string ToString() => $"{Type} '{Symbol}' in module {Template.Name}";
}

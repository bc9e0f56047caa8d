using Duraflow.Blocks.Text;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Loading;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Connections;

/// <summary>Reads io_config.yaml, reporting every problem at the key or value to edit.</summary>
internal static class IoConfigReader
{
    public static IoConfig Read(string yaml, string displayPath)
    {
        var diagnostics = new DiagnosticBag();
        var context = new LoadContext(displayPath, diagnostics);
        var stream = YamlDocuments.Load(yaml, context);
        if (stream is null)
        {
            return new IoConfig(displayPath, exists: true, readable: false, [], diagnostics.Items);
        }

        if (stream.Documents.Count > 1)
        {
            context.Error(DiagnosticCodes.YamlSyntax, stream.Documents[1].RootNode, "io_config.yaml holds one document; remove the second '---'");
        }

        if (stream.Documents.Count == 0 || LoadContext.IsNull(stream.Documents[0].RootNode))
        {
            return new IoConfig(displayPath, exists: true, readable: true, [], diagnostics.Items);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            context.Error(DiagnosticCodes.WrongType, stream.Documents[0].RootNode, $"io_config.yaml must be a map of profiles (default, dev, prod, ...), each a map of connections, not {LoadContext.Describe(stream.Documents[0].RootNode)}");
            return new IoConfig(displayPath, exists: true, readable: false, [], diagnostics.Items);
        }

        var profiles = new Dictionary<string, IoConfigProfile>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in root.Children)
        {
            if (ReadName(context, keyNode, "profile name") is { } profile)
            {
                profiles[profile] = ReadProfile(context, profile, value);
            }
        }

        return new IoConfig(displayPath, exists: true, readable: true, profiles, diagnostics.Items);
    }

    private static IoConfigProfile ReadProfile(LoadContext context, string profile, YamlNode node)
    {
        var result = new IoConfigProfile(new Dictionary<string, ConnectionDefinition>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        if (LoadContext.IsNull(node))
        {
            return result;
        }

        if (node is not YamlMappingNode connections)
        {
            context.Error(DiagnosticCodes.WrongType, node, $"profile '{profile}' must be a map of connections (name: {{ type: ..., settings }}), not {LoadContext.Describe(node)}");
            return result;
        }

        foreach (var (keyNode, value) in connections.Children)
        {
            if (ReadName(context, keyNode, "connection name") is not { } name)
            {
                continue;
            }

            result.NamesWritten.Add(name);
            if (ReadConnection(context, profile, name, keyNode, value) is { } connection)
            {
                result.Connections[name] = connection;
            }
        }

        return result;
    }

    private static ConnectionDefinition? ReadConnection(LoadContext context, string profile, string name, YamlNode nameNode, YamlNode node)
    {
        var what = $"connection '{name}' of profile '{profile}'";
        if (node is not YamlMappingNode mapping)
        {
            context.Error(DiagnosticCodes.WrongType, node, $"{what} must be a map with 'type' and its settings, as in {{ type: postgres, connection_string: \"{{{{ secrets.NAME }}}}\" }}, not {LoadContext.Describe(node)}");
            return null;
        }

        var errorsBefore = context.Diagnostics.Items.Count;
        var typeNode = mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "type" }).Value;
        if (typeNode is null || LoadContext.IsNull(typeNode))
        {
            context.Error(DiagnosticCodes.MissingKey, nameNode, $"{what} needs 'type': one of {string.Join(", ", ConnectionTypes.Names)}");
            return null;
        }

        if (context.String(typeNode, $"'type' of {what}") is not { } type)
        {
            return null;
        }

        if (ConnectionTypes.Find(type) is not { } spec)
        {
            var hint = EditDistance.DidYouMean(type, ConnectionTypes.Names);
            context.Error(DiagnosticCodes.BadValue, typeNode, $"{what} has unknown type '{type}'; {hint}use {string.Join(", ", ConnectionTypes.Names)}");
            return null;
        }

        var map = new YamlMap(mapping, context, what, spec.Keys);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in spec.Settings)
        {
            if (map[key] is { } valueNode && context.Scalar(valueNode, $"'{key}' of {what}") is { } scalar)
            {
                settings[key] = scalar.Value ?? string.Empty;
                CheckValue(context, scalar, key, what);
            }
        }

        var given = spec.OneOf.Where(k => map[k] is not null).ToList();
        if (given.Count == 0 && !HasTypoOf(mapping, spec))
        {
            context.Error(DiagnosticCodes.MissingKey, nameNode, $"{what} needs {spec.Requirement}");
        }
        else if (given.Count > 1)
        {
            context.Error(DiagnosticCodes.BadValue, KeyNode(mapping, given[1]), $"{what} has both '{given[0]}' and '{given[1]}'; give only one of them");
        }

        if (context.Diagnostics.Items.Skip(errorsBefore).Any(d => d.IsError))
        {
            return null;
        }

        return new ConnectionDefinition
        {
            Name = name,
            Profile = profile,
            Type = spec.Type,
            Settings = settings,
            Location = context.At(nameNode),
        };
    }

    // A value may hold {{ env.X }} and {{ secrets.X }}; without templates, URLs are checked as written.
    private static void CheckValue(LoadContext context, YamlScalarNode scalar, string key, string what)
    {
        var text = scalar.Value ?? string.Empty;
        var (_, problems) = ConnectionTemplate.Parse(text);
        foreach (var problem in problems)
        {
            context.Diagnostics.Error(DiagnosticCodes.BadTemplate, context.At(scalar, PositionOf(text, problem.Offset)), problem.Message);
        }

        if (ConnectionTemplate.HasTemplate(text))
        {
            return;
        }

        var https = key == ConnectionTypes.AccountUrl;
        if (key is ConnectionTypes.AccountUrl or ConnectionTypes.BaseUrl
            && (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && (https || uri.Scheme != Uri.UriSchemeHttp))))
        {
            var expected = https ? "an https:// URL, such as https://ACCOUNT.blob.core.windows.net" : "an http:// or https:// URL";
            context.Error(DiagnosticCodes.BadValue, scalar, $"'{key}' of {what} must be {expected}, or a template such as {{{{ env.NAME }}}} that gives one; '{text}' is not");
        }
    }

    private static string? ReadName(LoadContext context, YamlNode keyNode, string what)
    {
        var name = (keyNode as YamlScalarNode)?.Value;
        if (name is null)
        {
            context.Error(DiagnosticCodes.WrongType, keyNode, $"a {what} must be a plain name");
            return null;
        }

        if (!Names.IsValid(name))
        {
            context.Error(DiagnosticCodes.BadName, keyNode, $"{what} '{name}' is not valid; use {Names.Rule}");
            return null;
        }

        return name;
    }

    // A misspelt required key was reported with a "did you mean" already; saying it is missing too is noise.
    private static bool HasTypoOf(YamlMappingNode mapping, ConnectionTypes.Spec spec) =>
        mapping.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value is { } key
            && !spec.Keys.Contains(key, StringComparer.Ordinal)
            && EditDistance.ClosestMatch(key, spec.Keys) is { } match
            && spec.OneOf.Contains(match, StringComparer.Ordinal));

    private static YamlNode KeyNode(YamlMappingNode mapping, string key) =>
        mapping.Children.First(c => c.Key is YamlScalarNode scalar && scalar.Value == key).Key;

    private static TextPosition PositionOf(string text, int offset)
    {
        var (line, column) = (1, 1);
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            (line, column) = text[i] == '\n' ? (line + 1, 1) : (line, column + 1);
        }

        return new TextPosition(line, column);
    }
}

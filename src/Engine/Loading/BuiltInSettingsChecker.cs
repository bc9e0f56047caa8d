using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Templates;
using Duraflow.Blocks.Text;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>
/// Checks a built-in block's <c>with:</c> against its schema before any run: unknown keys (with the closest known
/// one), missing required keys, and literal values of the wrong kind. Values with templates are checked at run time,
/// once they have a value.
/// </summary>
internal static class BuiltInSettingsChecker
{
    public static void Check(LoadContext context, BuiltInBlock block, YamlMappingNode? with, YamlNode usesNode, string what) =>
        Check(context, block.Id, block.Fields, with, usesNode, what);

    public static void Check(LoadContext context, string owner, IReadOnlyList<ConfigField> fields, YamlMappingNode? with, YamlNode usesNode, string what)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in with?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                continue;
            }

            present.Add(key);
            if (fields.FirstOrDefault(f => f.Name == key) is not { } field)
            {
                var hint = EditDistance.ClosestMatch(key, fields.Select(f => f.Name)) is { } match ? $" (did you mean '{match}'?)" : "";
                context.Error(DiagnosticCodes.UnknownKey, keyNode,
                    $"{what}: {owner} has no setting '{key}'{hint}; its settings are {string.Join(", ", fields.Select(f => f.Name))}");
                continue;
            }

            if (Problem(field, value) is { } problem)
            {
                context.Error(field.Kind == ConfigKind.Choice ? DiagnosticCodes.BadValue : DiagnosticCodes.WrongType, value, $"{what}: with.{key} {problem}");
            }
        }

        foreach (var missing in fields.Where(f => f.Required && !present.Contains(f.Name)))
        {
            context.Error(DiagnosticCodes.MissingKey, usesNode, $"{what}: {owner} needs with.{missing.Name} ({missing.Description})");
        }
    }

    private static string? Problem(ConfigField field, YamlNode value)
    {
        if (value is not YamlScalarNode scalar)
        {
            return field.Kind switch
            {
                ConfigKind.Map when value is YamlMappingNode => null,
                ConfigKind.List when value is YamlSequenceNode => null,
                ConfigKind.Map => "must be a map of names to values",
                ConfigKind.List => "must be a list",
                _ => "must be a single value, not a list or map",
            };
        }

        var text = scalar.Value ?? string.Empty;
        if (field.Kind == ConfigKind.Input)
        {
            return IsWholeBlock(text) ? null : "must name an upstream block, as in \"{{ blocks.NAME }}\"";
        }

        if (text.Contains("{{", StringComparison.Ordinal))
        {
            return null;
        }

        return field.Kind switch
        {
            ConfigKind.Boolean when text is not ("true" or "false") => $"must be true or false, not '{text}'",
            ConfigKind.Integer when !long.TryParse(text, out _) => $"must be a whole number, not '{text}'",
            ConfigKind.Duration when !Duration.TryParse(text, out var duration) || duration <= TimeSpan.Zero =>
                $"must be a duration above zero, such as {Duration.Examples}, not '{text}'",
            ConfigKind.Choice when !(field.Choices ?? []).Contains(text, StringComparer.Ordinal) =>
                $"must be one of {string.Join(", ", field.Choices ?? [])}, not '{text}'",
            ConfigKind.Map => "must be a map of names to values",
            _ => null,
        };
    }

    private static bool IsWholeBlock(string text)
    {
        try
        {
            return TemplateRenderer.AsSingle(text) is { IsWholeBlock: true };
        }
        catch (Blocks.NonRetryableBlockException)
        {
            // A malformed template is reported by the template checks; here it simply is not a block reference.
            return false;
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Duraflow.Infra.Tests;

/// <summary>
/// Turns a template value into the string Azure would produce, for the few expression forms app settings use:
/// literals, <c>parameters('x')</c> (a sample when the test gives one, else what the parent passes, else the default),
/// <c>variables('x')</c>, and <c>format(...)</c> of those.
/// </summary>
internal static partial class ArmSample
{
    public static string Evaluate(ArmTemplate template, JsonNode? value, IReadOnlyDictionary<string, string> samples)
    {
        var text = value!.GetValue<string>();
        if (!text.StartsWith('[') || text.StartsWith("[[", StringComparison.Ordinal))
        {
            return text;
        }

        return Expression(template, text[1..^1], samples);
    }

    private static string Expression(ArmTemplate template, string expression, IReadOnlyDictionary<string, string> samples)
    {
        if (Parameter().Match(expression) is { Success: true } parameter)
        {
            var name = parameter.Groups["name"].Value;
            if (samples.TryGetValue(name, out var sample))
            {
                return sample;
            }

            // What the parent module passes, evaluated there; at the top, the parameter's default.
            if (template.ParameterValues[name] is JsonObject passed && template.Parent is not null)
            {
                return Evaluate(template.Parent, passed["value"], samples);
            }

            return template.Parameters[name]?["defaultValue"] is JsonValue fallback && fallback.TryGetValue<string>(out var text)
                ? text
                : throw new InvalidOperationException($"no sample value for parameter '{name}' of module {template.Name}");
        }

        if (Variable().Match(expression) is { Success: true } variable)
        {
            return Evaluate(template, template.Variables[variable.Groups["name"].Value], samples);
        }

        if (Format().Match(expression) is { Success: true } format)
        {
            var arguments = format.Groups["args"].Value.Split(", ").Select(a => (object)Expression(template, a, samples)).ToArray();
            return string.Format(CultureInfo.InvariantCulture, format.Groups["pattern"].Value, arguments);
        }

        throw new InvalidOperationException($"the tests cannot evaluate '{expression}' in module {template.Name}");
    }

    [GeneratedRegex(@"^parameters\('(?<name>[A-Za-z0-9_]+)'\)$")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"^variables\('(?<name>[A-Za-z0-9_]+)'\)$")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^format\('(?<pattern>[^']*)', (?<args>.+)\)$")]
    private static partial Regex Format();
}

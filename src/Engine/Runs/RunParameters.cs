using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Blocks.Text;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Runs;

/// <summary>Turns the <c>name=value</c> texts given for a run into typed parameter values, or says what is wrong.</summary>
internal static class RunParameters
{
    /// <summary>
    /// Resolves <paramref name="given"/> against the pipeline's declared parameters: converts each value to its type,
    /// fills defaults, and reports unknown names, bad values, values outside <c>allowed</c> and missing required ones.
    /// </summary>
    public static (Dictionary<string, JsonElement> Values, List<string> Errors) Resolve(
        PipelineDefinition pipeline, IReadOnlyDictionary<string, string> given)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(given);
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var errors = new List<string>();
        var declared = pipeline.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (name, text) in given)
        {
            if (!declared.TryGetValue(name, out var parameter))
            {
                var known = declared.Count == 0 ? "it declares none" : $"it declares {string.Join(", ", declared.Keys.Order(StringComparer.Ordinal))}";
                errors.Add($"--param {name}: pipeline {pipeline.Name} has no parameter '{name}'; {EditDistance.DidYouMean(name, declared.Keys)}{known}");
                continue;
            }

            if (!ParameterValues.TryConvert(text, parameter.Type, out var value, out var expected))
            {
                errors.Add($"--param {name}={text}: expected {expected}");
                continue;
            }

            if (parameter.Allowed.Count > 0 && !parameter.Allowed.Any(a => Equals(Normalize(a), Normalize(value))))
            {
                errors.Add($"--param {name}={text}: not one of the allowed values {string.Join(", ", parameter.Allowed)}");
                continue;
            }

            values[name] = BlockJson.ToElement(value);
        }

        foreach (var parameter in pipeline.Parameters.Where(p => !values.ContainsKey(p.Name) && !given.ContainsKey(p.Name)))
        {
            if (parameter.Default is not null)
            {
                values[parameter.Name] = BlockJson.ToElement(parameter.Default);
            }
            else if (parameter.Required)
            {
                errors.Add($"parameter '{parameter.Name}' is required; pass it as --param {parameter.Name}=VALUE");
            }
            else
            {
                values[parameter.Name] = BlockJson.ToElement(null);
            }
        }

        return (values, errors);
    }

    // Allowed values come from YAML (long, double, string); given values from their declared type.
    private static object? Normalize(object? value) => value switch
    {
        int i => (double)i,
        long l => (double)l,
        double d => d,
        _ => value?.ToString(),
    };
}

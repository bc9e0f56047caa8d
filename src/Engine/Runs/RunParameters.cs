using Duraflow.Blocks;
using Duraflow.Blocks.Text;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Runs;

/// <summary>Turns the parameter values given for a run into typed values, or says what is wrong with each.</summary>
internal static class RunParameters
{
    /// <summary>
    /// Resolves <paramref name="given"/> against the pipeline's declared parameters: converts each value to its type,
    /// fills defaults, and reports unknown names, bad values, values outside <c>allowed</c> and missing required ones.
    /// </summary>
    public static ParameterResolution Resolve(PipelineDefinition pipeline, IReadOnlyDictionary<string, ParameterInput> given)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(given);
        var values = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
        var problems = new List<ParameterProblem>();
        var declared = pipeline.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (name, input) in given)
        {
            if (!declared.TryGetValue(name, out var parameter))
            {
                var known = declared.Count == 0 ? "it declares none" : $"it declares {string.Join(", ", declared.Keys.Order(StringComparer.Ordinal))}";
                problems.Add(new ParameterProblem(
                    name, ParameterProblemKind.Unknown, $"pipeline {pipeline.Name} has no parameter '{name}'; {EditDistance.DidYouMean(name, declared.Keys)}{known}", null, input.Shown));
                continue;
            }

            if (!input.TryConvert(parameter.Type, out var value, out var expected))
            {
                problems.Add(new ParameterProblem(name, ParameterProblemKind.WrongType, $"expected {expected}", parameter.Type, Shown(parameter, input)));
                continue;
            }

            if (parameter.Allowed.Count > 0 && !parameter.Allowed.Any(a => Equals(Normalize(a), Normalize(value))))
            {
                problems.Add(new ParameterProblem(
                    name, ParameterProblemKind.NotAllowed, $"not one of the allowed values {string.Join(", ", parameter.Allowed)}", parameter.Type, Shown(parameter, input)));
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
                problems.Add(new ParameterProblem(parameter.Name, ParameterProblemKind.Missing, "is required", parameter.Type, null));
            }
            else
            {
                values[parameter.Name] = BlockJson.ToElement(null);
            }
        }

        return new ParameterResolution(problems.Count == 0 ? new ResolvedParameters(pipeline.Name, values) : null, problems);
    }

    /// <summary>Resolves a run that is given no values, as schedules and blob events start them: defaults only.</summary>
    public static ParameterResolution Defaults(PipelineDefinition pipeline) =>
        Resolve(pipeline, new Dictionary<string, ParameterInput>(StringComparer.Ordinal));

    // Allowed values come from YAML (long, double, string); given values from their declared type.
    private static object? Normalize(object? value) => value switch
    {
        int i => (double)i,
        long l => (double)l,
        double d => d,
        _ => value?.ToString(),
    };

    // A value given for a secret parameter is never echoed, not even a wrong one (it may be the right secret mistyped).
    private static string? Shown(ParameterDefinition parameter, ParameterInput input) => parameter.Secret ? "***" : input.Shown;
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;

namespace Duraflow.Functions.Api;

/// <summary>
/// Turns the JSON <c>parameters</c> of a start request into the text the engine's <see cref="RunParameters"/> resolves,
/// and its errors into one <see cref="FieldError"/> per parameter. The engine stays the one judge of what is valid.
/// </summary>
internal static partial class RunParameterErrors
{
    /// <summary>A JSON value as the text a user would pass with <c>--param</c>: strings unquoted, everything else as JSON.</summary>
    public static Dictionary<string, string> ToText(IReadOnlyDictionary<string, JsonElement> given) =>
        given.Where(p => p.Value.ValueKind != JsonValueKind.Null)
            .ToDictionary(p => p.Key, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);

    /// <summary>The engine's errors, each attached to the parameter it is about, with the expected type when the value did not convert.</summary>
    public static List<FieldError> Describe(PipelineDefinition pipeline, IReadOnlyDictionary<string, string> given, IEnumerable<string> errors)
    {
        var declared = pipeline.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var described = new List<FieldError>();
        foreach (var error in errors)
        {
            // The engine words its errors for the CLI ("--param day=x: expected ..."); the API names the field instead.
            var match = GivenError().Match(error);
            if (match.Success)
            {
                var name = match.Groups["name"].Value;
                var expected = declared.TryGetValue(name, out var parameter) && given.TryGetValue(name, out var text)
                    && !ParameterValues.TryConvert(text, parameter.Type, out _, out _)
                    ? parameter.Type.ToString().ToLowerInvariant()
                    : null;
                described.Add(new FieldError($"parameters.{name}", match.Groups["why"].Value, expected));
                continue;
            }

            var missing = MissingError().Match(error);
            described.Add(missing.Success
                ? new FieldError($"parameters.{missing.Groups["name"].Value}", "is required", declared[missing.Groups["name"].Value].Type.ToString().ToLowerInvariant())
                : new FieldError("parameters", error));
        }

        return described;
    }

    [GeneratedRegex(@"^--param (?<name>[^=:\s]+)(=[^\n]*?)?: (?<why>.*)$", RegexOptions.Singleline)]
    private static partial Regex GivenError();

    [GeneratedRegex(@"^parameter '(?<name>[^']+)' is required")]
    private static partial Regex MissingError();
}

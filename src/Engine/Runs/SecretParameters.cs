using System.Text.Json;

namespace Duraflow.Engine.Runs;

/// <summary>
/// Keeps the values of parameters declared <c>secret: true</c> out of sight: every view of a run (CLI, API) shows
/// them as <c>***</c>. Blocks get the real value; the worker redacts it from what they log and return.
/// </summary>
internal static class SecretParameters
{
    private static readonly JsonElement Mask = JsonSerializer.SerializeToElement("***");

    /// <summary><paramref name="parameters"/> with the secret ones of <paramref name="plan"/> masked; the same map when there are none.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Masked(IReadOnlyDictionary<string, JsonElement> parameters, RunPlan plan)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.SecretParameters is not { Count: > 0 } secret)
        {
            return parameters;
        }

        // A secret left unset stays null: that it has no value is not a secret.
        return parameters.ToDictionary(
            p => p.Key,
            p => secret.Contains(p.Key, StringComparer.Ordinal) && p.Value.ValueKind != JsonValueKind.Null ? Mask : p.Value,
            StringComparer.Ordinal);
    }

    /// <summary>The text of each secret parameter's value, for the redactor: strings as they are, other values as JSON.</summary>
    public static IEnumerable<string> Values(IReadOnlyDictionary<string, JsonElement> parameters, RunPlan plan)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var name in plan.SecretParameters ?? [])
        {
            if (parameters.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                yield return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            }
        }
    }
}

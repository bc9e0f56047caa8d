using System.Text.Json;
using Duraflow.Engine.Runs;

namespace Duraflow.Cli.Output;

/// <summary>A run as the CLI prints it with <c>--json</c>: its state, secret parameters masked.</summary>
internal static class RunJson
{
    /// <summary>The JSON text of <paramref name="state"/>, with the parameters <paramref name="plan"/> declares secret shown as ***.</summary>
    public static string Of(RunState state, RunPlan plan)
    {
        var shown = state.Clone();
        shown.Parameters = new(SecretParameters.Masked(state.Parameters, plan), StringComparer.Ordinal);
        return JsonSerializer.Serialize(shown, EngineJson.Options) + Environment.NewLine;
    }
}

using System.Text.Json;

namespace Duraflow.Engine.Runs;

/// <summary>
/// A run's parameter values, each converted to its declared type and every declared parameter present (defaults
/// filled in, optional ones without a default as JSON null). Only <see cref="RunParameters.Resolve"/> makes one, so a
/// run is never started with values nobody checked.
/// </summary>
internal sealed class ResolvedParameters
{
    internal ResolvedParameters(string pipeline, IReadOnlyDictionary<string, JsonElement> values)
    {
        Pipeline = pipeline;
        Values = values;
    }

    /// <summary>The pipeline whose declarations they were resolved against.</summary>
    public string Pipeline { get; }

    /// <summary>The values by name, as the run stores them and blocks read them.</summary>
    public IReadOnlyDictionary<string, JsonElement> Values { get; }
}

using Duraflow.Engine.Runs;

namespace Duraflow.Cli.Tests;

/// <summary>Finds a block's output the way a user would: inline in the run's state, or a file under .duraflow/artifacts.</summary>
internal static class StoredOutputs
{
    /// <summary>The output's text, or null when its artifact file is missing.</summary>
    public static string? Text(string projectRoot, string reference)
    {
        if (OutputReference.TryGetInlineJson(reference, out var json))
        {
            return json;
        }

        var path = Path.Combine(projectRoot, ".duraflow", "artifacts", reference);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}

using System.Text.Json;
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

    /// <summary>
    /// The text of a block's <c>output</c> as <c>--json</c> prints it (<c>{ "artifact": KEY, "value": JSON }</c>): the
    /// artifact file's, or the value's when the output is kept in the run.
    /// </summary>
    public static string? Text(string projectRoot, JsonElement output) =>
        output.GetProperty("artifact").GetString() is { } key ? Text(projectRoot, key) : output.GetProperty("value").GetRawText();

    /// <summary>A block of the <c>blocks</c> list that <c>--json</c> prints, by its name.</summary>
    public static JsonElement Block(JsonElement run, string name) =>
        run.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("name").GetString() == name);
}

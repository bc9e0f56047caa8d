using System.Text;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Workers;

namespace Duraflow.Api.Generation;

/// <summary>
/// What each block of a pipeline output in its last successful run: a table's columns with their types and its row
/// count, or a JSON value's shape (its keys, or how many items). No value is read out: the model is often elsewhere,
/// and a scaffold's comments are committed, so the data stays where it is.
/// </summary>
internal static class UpstreamOutputs
{
    private const int MaxKeys = 50;

    /// <summary>Each block's output described, by block name, and the run they come from; empty when the pipeline never succeeded.</summary>
    public static async Task<(string? RunId, IReadOnlyDictionary<string, string> Outputs)> ReadAsync(RunCommitter committer, string pipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(committer);
        var last = await committer.Store.ListRunsAsync(new RunQuery(pipeline, RunStatus.Succeeded, Limit: 1), cancellationToken).ConfigureAwait(false);
        if (last.Count == 0 || await committer.Store.GetRunAsync(last[0].RunId, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return (null, new Dictionary<string, string>());
        }

        var outputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, block) in stored.State.Blocks)
        {
            // One description per block: a mapped block's first item stands for its items.
            var (name, index) = InstanceKeys.Parse(key);
            if (index is > 0 || outputs.ContainsKey(name) || block.Output is not { } output || !block.Status.HasOutput())
            {
                continue;
            }

            try
            {
                var preview = await OutputPreviews.ReadAsync(committer.Artifacts, output, rows: 0, cancellationToken).ConfigureAwait(false);
                outputs[name] = Describe(preview) + (index is null ? "" : " (each item's output; this is item 0's)");
            }
            catch (FileNotFoundException)
            {
                // Purged since: the definition is all there is to go on for this block.
            }
        }

        return (stored.State.RunId, outputs);
    }

    private static string Describe(OutputPreview preview) => preview switch
    {
        TableOutputPreview table => new StringBuilder()
            .Append("a table of ").Append(table.RowCount).Append(" rows; columns: ")
            .AppendJoin(", ", table.Columns.Select(c => $"{c.Name} {c.Type}"))
            .ToString(),
        JsonOutputPreview { Value: { } value } => "JSON: " + Shape(value),
        JsonOutputPreview json => $"JSON of {json.Bytes} bytes",
        _ => "an output of an unknown kind",
    };

    // The kind of a JSON value, an object's keys and a list's length and first item's shape; never a value.
    private static string Shape(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object with keys " + string.Join(", ", value.EnumerateObject().Take(MaxKeys).Select(p => p.Name))
            + (value.EnumerateObject().Count() > MaxKeys ? $" and {value.EnumerateObject().Count() - MaxKeys} more" : ""),
        JsonValueKind.Array => $"a list of {value.GetArrayLength()} items" + (value.GetArrayLength() > 0 ? ", the first " + Shape(value[0]) : ""),
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };
}

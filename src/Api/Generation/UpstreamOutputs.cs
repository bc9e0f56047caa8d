using System.Text;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Workers;

namespace Duraflow.Api.Generation;

/// <summary>
/// What each block of a pipeline output in its last successful run: a table's columns with their types, row count and
/// first rows, or a JSON value's start. The model writes a block against these rather than guessing at names.
/// </summary>
internal static class UpstreamOutputs
{
    private const int Rows = 3;
    private const int MaxValueChars = 2_000;

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
                var preview = await OutputPreviews.ReadAsync(committer.Artifacts, output, Rows, cancellationToken).ConfigureAwait(false);
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
            .Append("; first rows: ").Append(Cut(table.Rows.GetRawText()))
            .ToString(),
        JsonOutputPreview json => $"JSON of {json.Bytes} bytes: {Cut(json.Value?.GetRawText() ?? json.Head ?? "")}",
        _ => "an output of an unknown kind",
    };

    private static string Cut(string text) => text.Length <= MaxValueChars ? text : text[..MaxValueChars] + "…";
}

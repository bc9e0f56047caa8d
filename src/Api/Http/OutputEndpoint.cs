using System.Globalization;
using Duraflow.Blocks.Text;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Workers;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>GET /api/runs/{id}/outputs/{key}?rows=N</c>: a preview of what a block (or one fan-out item, <c>name[i]</c>)
/// stored as its output: a JSON value, or a table's columns, row count and first rows, read from the run store's
/// artifacts as the next block would read them.
/// </summary>
internal static class OutputEndpoint
{
    private const int DefaultRows = 100;

    public static async Task<IResult> HandleAsync(string id, string key, HttpRequest request, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var rows = DefaultRows;
        if (request.Query["rows"].FirstOrDefault() is { Length: > 0 } rowsText
            && (!int.TryParse(rowsText, NumberStyles.None, CultureInfo.InvariantCulture, out rows) || rows > OutputPreviews.MaxRows))
        {
            return ApiProblems.BadField("rows", $"must be a whole number from 0 to {OutputPreviews.MaxRows} (default {DefaultRows})");
        }

        var committer = (await sharedEngine.GetAsync(cancellationToken)).Committer;
        if (await committer.Store.GetRunAsync(id, cancellationToken) is not { } stored)
        {
            return ApiProblems.RunNotFound(id);
        }

        var state = stored.State;
        if (!state.Blocks.ContainsKey(key))
        {
            var blocks = state.Blocks.Keys.Where(k => !k.EndsWith(']')).Order(StringComparer.Ordinal).ToList();
            return NotFound($"run {id} has no block '{key}'; {EditDistance.DidYouMean(key, blocks)}its blocks are {string.Join(", ", blocks)}");
        }

        var block = state.Block(key);
        var plan = await committer.PlanAsync(state.DefinitionHash, cancellationToken);
        var (name, index) = InstanceKeys.Parse(key);
        if (index is null && plan.Contains(name) && plan.Block(name).MappedOver is not null)
        {
            return NotFound(block.Items is > 0
                ? $"block {key} runs once per item; each item has its own output: {key}[0] to {key}[{block.Items - 1}]"
                : $"block {key} runs once per item and has no items yet");
        }

        if (block.Output is not { } output || !block.Status.HasOutput())
        {
            return NotFound($"block {key} of run {id} has no output: it is {block.Status.ToSnakeCase()}");
        }

        OutputPreview preview;
        try
        {
            preview = await OutputPreviews.ReadAsync(committer.Artifacts, output, rows, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return NotFound($"the output of block {key} of run {id} is no longer stored");
        }

        return Results.Ok(preview switch
        {
            TableOutputPreview table => (object)new
            {
                RunId = id,
                Block = key,
                Kind = "table",
                table.RowCount,
                Columns = table.Columns.Select(c => new { c.Name, c.Type }),
                table.Rows,
                RowsShown = table.Rows.GetArrayLength(),
            },
            JsonOutputPreview json => new
            {
                RunId = id,
                Block = key,
                Kind = "json",
                json.Bytes,
                json.Value,
                Truncated = json.Value is null,
                json.Head,
            },
            _ => throw new InvalidOperationException($"unknown preview {preview.GetType().Name}"),
        });
    }

    private static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Output not found", detail: detail);
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Duraflow.Api.Mcp;

/// <summary>
/// <c>explain_failure</c>: what an assistant needs to say why a run failed, gathered from the API in one answer: each
/// failed block's error, the last lines of its logs, its inputs (the upstream blocks' outputs: columns and row counts,
/// or values) and its code, around the line the error names when it names one.
/// </summary>
internal sealed partial class FailureExplainer(DuraflowTools tools)
{
    private const int LogTail = 20;
    private const int LinesAround = 6;
    private const int LinesWithoutALine = 40;

    public async Task<JsonElement> ExplainAsync(string runId, string? workspace, CancellationToken cancellationToken)
    {
        var run = await tools.GetAsync(workspace, $"/runs/{McpRoutes.Segment(runId)}", cancellationToken).ConfigureAwait(false);
        var pipeline = run.GetProperty("pipeline").GetString()!;
        var failed = run.GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("status").GetString() == "failed").ToList();
        var definition = failed.Count == 0 ? null : await tools.FindAsync(workspace, $"/pipelines/{McpRoutes.Segment(pipeline)}", cancellationToken).ConfigureAwait(false);
        var source = failed.Count == 0 ? null : await tools.FindAsync(workspace, $"/pipelines/{McpRoutes.Segment(pipeline)}/source", cancellationToken).ConfigureAwait(false);
        var graph = run.GetProperty("graph").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!, b => b.GetProperty("upstream").EnumerateArray().Select(u => u.GetString()!).ToList());

        var blocks = new List<object>();
        foreach (var block in failed)
        {
            var name = block.GetProperty("name").GetString()!;
            var definedAs = name.Split('[')[0];
            var error = block.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var logs = await tools.GetLogsAsync(runId, name, LogTail, workspace, cancellationToken).ConfigureAwait(false);
            var inputs = new List<object>();
            foreach (var upstream in graph.GetValueOrDefault(definedAs) ?? [])
            {
                var preview = await tools.FindAsync(workspace, $"/runs/{McpRoutes.Segment(runId)}/outputs/{McpRoutes.Segment(upstream)}?rows=3", cancellationToken).ConfigureAwait(false);
                inputs.Add(new Dictionary<string, object?> { ["block"] = upstream, ["output"] = preview });
            }

            var uses = Uses(definition, definedAs);
            blocks.Add(new Dictionary<string, object?>
            {
                ["block"] = name,
                ["uses"] = uses,
                ["attempt"] = block.GetProperty("attempt"),
                ["error"] = error,
                ["log_tail"] = logs.GetProperty("items"),
                ["inputs"] = inputs,
                ["code"] = Code(source, uses, error),
            });
        }

        return JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["run_id"] = runId,
            ["pipeline"] = pipeline,
            ["status"] = run.GetProperty("status").GetString(),
            ["error"] = run.TryGetProperty("error", out var runError) ? runError : null,
            ["failed_blocks"] = blocks,
            ["next_steps"] = failed.Count == 0
                ? "no block of this run failed; get_run shows where it is"
                : "fix the code or data named above, then retry_run (with refresh: true to run the blocks on the files as they are now)",
        });
    }

    private static string? Uses(JsonElement? definition, string block) =>
        definition?.GetProperty("blocks").EnumerateArray().FirstOrDefault(b => b.GetProperty("name").GetString() == block) is { ValueKind: JsonValueKind.Object } found
            ? found.GetProperty("uses").GetString()
            : null;

    // The lines of the block's file around the line its error names (a script's "(12,5)" or a "line 12"), else its first lines.
    private static Dictionary<string, object?>? Code(JsonElement? source, string? uses, string? error)
    {
        var colon = uses?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (source is null || uses is null || colon < 0)
        {
            return null;
        }

        var file = uses[(colon + 1)..];
        var found = source.Value.GetProperty("files").EnumerateArray()
            .FirstOrDefault(f => f.GetProperty("path").GetString()!.EndsWith("/" + file, StringComparison.Ordinal));
        if (found.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var lines = found.GetProperty("text").GetString()!.Split('\n');
        var at = error is not null && LineOf().Match(error) is { Success: true } match ? int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture) : 0;
        var (from, to) = at > 0 && at <= lines.Length ? (Math.Max(1, at - LinesAround), Math.Min(lines.Length, at + LinesAround)) : (1, Math.Min(lines.Length, LinesWithoutALine));
        return new Dictionary<string, object?>
        {
            ["path"] = found.GetProperty("path").GetString(),
            ["failing_line"] = at > 0 && at <= lines.Length ? at : null,
            ["lines"] = Enumerable.Range(from, to - from + 1).Select(n => $"{n,4}: {lines[n - 1].TrimEnd('\r')}").ToList(),
        };
    }

    [GeneratedRegex(@"(?:\((?<line>\d+),\d+\)|\bline (?<line>\d+)|\.(?:csx|sql|cs):(?<line>\d+))", RegexOptions.CultureInvariant)]
    private static partial Regex LineOf();
}

using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Duraflow.Api.Mcp;

/// <summary>
/// The MCP tools: each one calls an API route (docs/api.md) as the MCP caller through <see cref="CheckedApi"/>, so a
/// tool can do exactly what its route lets that caller do, and its errors are the route's problem details. Every tool
/// takes an optional <c>workspace</c> (<c>duraflow serve --workspace</c>); without one it acts on the default.
/// </summary>
[McpServerToolType]
internal sealed class DuraflowTools(CheckedApi api, McpCaller caller)
{
    private const string WorkspaceHelp = "The workspace (duraflow serve --workspace NAME); omit for the default one";

    [McpServerTool(Name = "list_pipelines", ReadOnly = true, UseStructuredContent = true)]
    [Description("The project's pipelines: name, description, tags, block count and whether each validates.")]
    public Task<JsonElement> ListPipelinesAsync([Description(WorkspaceHelp)] string? workspace = null, CancellationToken cancellationToken = default) =>
        GetAsync(workspace, "/pipelines", cancellationToken);

    [McpServerTool(Name = "get_pipeline", ReadOnly = true, UseStructuredContent = true)]
    [Description("One pipeline's definition: parameters, triggers, blocks with what each uses and its upstream blocks, and its graph as Mermaid.")]
    public Task<JsonElement> GetPipelineAsync([Description("The pipeline's name")] string pipeline, [Description(WorkspaceHelp)] string? workspace = null, CancellationToken cancellationToken = default) =>
        GetAsync(workspace, $"/pipelines/{McpRoutes.Segment(pipeline)}", cancellationToken);

    [McpServerTool(Name = "validate", ReadOnly = true, UseStructuredContent = true)]
    [Description("Validates the project's files as they are now: each problem with file, line, column, code, severity, message and pipeline.")]
    public Task<JsonElement> ValidateAsync([Description(WorkspaceHelp)] string? workspace = null, CancellationToken cancellationToken = default) =>
        GetAsync(workspace, "/diagnostics", cancellationToken);

    [McpServerTool(Name = "start_run", UseStructuredContent = true)]
    [Description("Starts a run of a pipeline. The same idempotency key again returns the run it started instead of starting another.")]
    public async Task<JsonElement> StartRunAsync(
        [Description("The pipeline's name")] string pipeline,
        [Description("The run's parameters by name, as JSON values; omitted ones take their defaults")] Dictionary<string, JsonElement>? parameters = null,
        [Description("Any text that names this request, so that retrying it does not start a second run")] string? idempotencyKey = null,
        [Description(WorkspaceHelp)] string? workspace = null,
        CancellationToken cancellationToken = default) =>
        await SendAsync("POST", workspace, $"/pipelines/{McpRoutes.Segment(pipeline)}/runs", new { Parameters = parameters ?? [], IdempotencyKey = idempotencyKey }, cancellationToken);

    [McpServerTool(Name = "generate_block", UseStructuredContent = true)]
    [Description("Writes a new block of a pipeline with the project's chat model (duraflow.yaml's ai:) from a description, and adds it to pipeline.yaml, only once it compiles and validates (up to three repair rounds); or a commented scaffold with template. Answers with the file, the diff and how many answers it took; review the block before running it.")]
    public async Task<JsonElement> GenerateBlockAsync(
        [Description("The pipeline to add the block to")] string pipeline,
        [Description("The new block's name: a lowercase letter, then lowercase letters, digits or underscores")] string name,
        [Description("script (a C# script in blocks/) or sql (a SQL query over upstream outputs in sql/)")] string kind,
        [Description("What the block does, in the user's words")] string describe,
        [Description("Only show the diff; write nothing")] bool dryRun = false,
        [Description("Write a commented scaffold without asking the model")] bool template = false,
        [Description(WorkspaceHelp)] string? workspace = null,
        CancellationToken cancellationToken = default) =>
        await SendAsync("POST", workspace, $"/pipelines/{McpRoutes.Segment(pipeline)}/blocks/generate", new { Name = name, Kind = kind, Describe = describe, DryRun = dryRun, Template = template }, cancellationToken);

    [McpServerTool(Name = "get_run", ReadOnly = true, UseStructuredContent = true)]
    [Description("A run with its status, parameters, error and every block's status, attempts, error and output.")]
    public Task<JsonElement> GetRunAsync([Description("The run's id")] string runId, [Description(WorkspaceHelp)] string? workspace = null, CancellationToken cancellationToken = default) =>
        GetAsync(workspace, $"/runs/{McpRoutes.Segment(runId)}", cancellationToken);

    [McpServerTool(Name = "list_runs", ReadOnly = true, UseStructuredContent = true)]
    [Description("Runs, newest first: of one pipeline and with one status (pending, running, waiting, succeeded, failed, cancelled) when given.")]
    public Task<JsonElement> ListRunsAsync(
        [Description("Only runs of this pipeline")] string? pipeline = null,
        [Description("Only runs with this status")] string? status = null,
        [Description("How many, 1 to 200 (default 20)")] int limit = 20,
        [Description("The next_cursor of the previous page")] string? cursor = null,
        [Description(WorkspaceHelp)] string? workspace = null,
        CancellationToken cancellationToken = default) =>
        GetAsync(workspace, "/runs" + Query(("pipeline", pipeline), ("status", status), ("limit", limit.ToString(CultureInfo.InvariantCulture)), ("cursor", cursor)), cancellationToken);

    [McpServerTool(Name = "get_logs", ReadOnly = true, UseStructuredContent = true)]
    [Description("The log lines a run's blocks wrote, of one block when given, the last ones when tail is given.")]
    public async Task<JsonElement> GetLogsAsync(
        [Description("The run's id")] string runId,
        [Description("Only this block's lines")] string? block = null,
        [Description("Only the last this many lines")] int? tail = null,
        [Description(WorkspaceHelp)] string? workspace = null,
        CancellationToken cancellationToken = default)
    {
        if (tail is < 1)
        {
            throw new McpException($"tail is {tail}; give a number of lines above zero, or none for all");
        }

        var logs = await GetAsync(workspace, $"/runs/{McpRoutes.Segment(runId)}/logs" + Query(("block", block)), cancellationToken);
        return tail is { } last ? LastLines(logs, last) : logs;
    }

    [McpServerTool(Name = "cancel_run", Destructive = true, UseStructuredContent = true)]
    [Description("Cancels a run that has not ended: running blocks are asked to stop.")]
    public Task<JsonElement> CancelRunAsync([Description("The run's id")] string runId, [Description(WorkspaceHelp)] string? workspace = null, CancellationToken cancellationToken = default) =>
        SendAsync("POST", workspace, $"/runs/{McpRoutes.Segment(runId)}/cancel", new { }, cancellationToken);

    [McpServerTool(Name = "retry_run", UseStructuredContent = true)]
    [Description("Retries a failed or cancelled run from its failed blocks; with refresh, on the pipeline's files as they are now.")]
    public Task<JsonElement> RetryRunAsync(
        [Description("The run's id")] string runId,
        [Description("Run the retried blocks on the files as they are now rather than as the run pinned them")] bool refresh = false,
        [Description(WorkspaceHelp)] string? workspace = null,
        CancellationToken cancellationToken = default) =>
        SendAsync("POST", workspace, $"/runs/{McpRoutes.Segment(runId)}/retry", refresh ? new { Refresh = true } : new { }, cancellationToken);

    [McpServerTool(Name = "signal_run", UseStructuredContent = true)]
    [Description("Sends a signal (or an approval) to a run's wait.signal and wait.approval blocks, with optional JSON data.")]
    public Task<JsonElement> SignalRunAsync(
        [Description("The run's id")] string runId,
        [Description("The signal's name")] string name,
        [Description("The signal's data: a JSON object")] JsonElement? data = null,
        [Description(WorkspaceHelp)] string? workspace = null,
        CancellationToken cancellationToken = default) =>
        data is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) } wrong
            ? throw new McpException($"data is a JSON {wrong.ValueKind.ToString().ToLowerInvariant()}; a signal's data is a JSON object, or none")
            : SendAsync("POST", workspace, $"/runs/{McpRoutes.Segment(runId)}/signals/{McpRoutes.Segment(name)}", data is { ValueKind: JsonValueKind.Object } given ? given : new { }, cancellationToken);

    [McpServerTool(Name = "preview_output", ReadOnly = true, UseStructuredContent = true)]
    [Description("The first rows of a block's stored output (columns, row count, rows), or its JSON value.")]
    public Task<JsonElement> PreviewOutputAsync(
        [Description("The run's id")] string runId,
        [Description("The block (or fan-out item, block[2])")] string block,
        [Description("How many rows, 1 to 1000 (default 20)")] int rows = 20,
        [Description(WorkspaceHelp)] string? workspace = null,
        CancellationToken cancellationToken = default) =>
        GetAsync(workspace, $"/runs/{McpRoutes.Segment(runId)}/outputs/{McpRoutes.Segment(block)}" + Query(("rows", rows.ToString(CultureInfo.InvariantCulture))), cancellationToken);

    [McpServerTool(Name = "explain_failure", ReadOnly = true, UseStructuredContent = true)]
    [Description("Why a run failed: each failed block with its error, the tail of its logs, a summary of its inputs (the upstream blocks' outputs) and the code around the failing line.")]
    public Task<JsonElement> ExplainFailureAsync([Description("The run's id")] string runId, [Description(WorkspaceHelp)] string? workspace = null, CancellationToken cancellationToken = default) =>
        new FailureExplainer(this).ExplainAsync(runId, workspace, cancellationToken);

    /// <summary>GETs <paramref name="route"/> (after <c>/api</c>) of <paramref name="workspace"/>.</summary>
    internal Task<JsonElement> GetAsync(string? workspace, string route, CancellationToken cancellationToken) => SendAsync("GET", workspace, route, null, cancellationToken);

    /// <summary>GETs a route, giving null rather than an error when it answers 404.</summary>
    internal async Task<JsonElement?> FindAsync(string? workspace, string route, CancellationToken cancellationToken)
    {
        var (status, body) = await api.SendAsync(caller.Current, "GET", Route(workspace, route), null, cancellationToken, caller.Request).ConfigureAwait(false);
        return status == StatusCodes.Status404NotFound ? null : Answer(status, body);
    }

    private async Task<JsonElement> SendAsync(string method, string? workspace, string route, object? body, CancellationToken cancellationToken)
    {
        var (status, answer) = await api.SendAsync(caller.Current, method, Route(workspace, route), body, cancellationToken, caller.Request).ConfigureAwait(false);
        return Answer(status, answer);
    }

    // A problem answer becomes the tool's error, with the route's own words (and its field errors).
    private static JsonElement Answer(int status, JsonElement body)
    {
        if (status < 400)
        {
            return body;
        }

        var detail = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out var d) ? d.GetString()
            : body.ValueKind == JsonValueKind.Object && body.TryGetProperty("title", out var t) ? t.GetString()
            : null;
        throw new McpException($"{status} {ReasonPhrase(status)}: {detail ?? "the API refused the call"}");
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    // Without a workspace, a caller limited to one acts in it.
    private string Route(string? workspace, string route) => McpRoutes.ApiBase(workspace ?? caller.Current.Workspace) + route;

    private static string Query(params (string Name, string? Value)[] pairs)
    {
        var given = pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }

    private static JsonElement LastLines(JsonElement logs, int last)
    {
        if (!logs.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return logs;
        }

        var all = items.EnumerateArray().ToList();
        return JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["run_id"] = logs.TryGetProperty("run_id", out var id) ? id.GetString() : null,
            ["items"] = all.Skip(Math.Max(0, all.Count - last)).ToList(),
            ["lines"] = all.Count,
        });
    }
}

using System.Net;
using Duraflow.Api.Tests.Http;
using Duraflow.Tests.Mcp;
using ModelContextProtocol.Client;

namespace Duraflow.Api.Tests.Mcp;

/// <summary>
/// The MCP server at <c>/mcp</c>, driven by the MCP SDK's own client over streamable HTTP, as an assistant would: it
/// needs a credential, each tool acts with the caller's role and scope, and an assistant can find a failed run, read
/// why it failed, and retry it.
/// </summary>
public sealed class McpHttpTests : IDisposable
{
    private static readonly string[] Tools =
    [
        "cancel_run", "explain_failure", "generate_block", "get_logs", "get_pipeline", "get_run", "list_pipelines", "list_runs", "preview_output",
        "retry_run", "signal_run", "start_run", "validate",
    ];

    private readonly ApiTestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Every_tool_is_listed_with_a_schema_and_an_assistant_finds_a_failed_run_reads_why_and_retries_it()
    {
        await using var client = await ConnectAsync(ApiTestProject.Key);

        var tools = await client.ListToolsAsync();
        var started = await McpCalls.CallAsync(client, "start_run", new { pipeline = "gate", idempotencyKey = "try-1" });
        var runId = started.GetProperty("run_id").GetString()!;
        await _project.FinishAsync(runId);
        var failedRuns = await McpCalls.CallAsync(client, "list_runs", new { status = "failed" });
        var explained = await McpCalls.CallAsync(client, "explain_failure", new { runId });
        File.WriteAllText(_project.GateFile, "open");
        var retried = await McpCalls.CallAsync(client, "retry_run", new { runId });
        var finished = await _project.FinishAsync(runId);
        var shown = await McpCalls.CallAsync(client, "get_run", new { runId });

        Assert.Equal(Tools, tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        var startSchema = tools.Single(t => t.Name == "start_run").JsonSchema;
        Assert.Equal(["pipeline"], startSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(startSchema.GetProperty("properties").TryGetProperty("idempotencyKey", out _));
        Assert.Equal([runId], failedRuns.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        var block = Assert.Single(explained.GetProperty("failed_blocks").EnumerateArray());
        Assert.Equal("open", block.GetProperty("block").GetString());
        Assert.Contains("the gate is shut", block.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("script:blocks/open.csx", block.GetProperty("uses").GetString());
        Assert.Equal("pipelines/gate/blocks/open.csx", block.GetProperty("code").GetProperty("path").GetString());
        Assert.Contains(block.GetProperty("code").GetProperty("lines").EnumerateArray(), l => l.GetString()!.Contains("the gate is shut", StringComparison.Ordinal));
        Assert.True(retried.GetProperty("status").GetString() is "pending" or "running", retried.GetRawText());
        Assert.Equal(Engine.Runs.RunStatus.Succeeded, finished.Status);
        Assert.Equal("succeeded", shown.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_read_tools_answer_from_the_api_and_an_idempotency_key_again_returns_the_same_run()
    {
        await using var client = await ConnectAsync(ApiTestProject.Key);

        var pipelines = await McpCalls.CallAsync(client, "list_pipelines", new { });
        var pipeline = await McpCalls.CallAsync(client, "get_pipeline", new { pipeline = "hello" });
        var first = await McpCalls.CallAsync(client, "start_run", new { pipeline = "hello", parameters = new { n = 21 }, idempotencyKey = "k-1" });
        var again = await McpCalls.CallAsync(client, "start_run", new { pipeline = "hello", parameters = new { n = 21 }, idempotencyKey = "k-1" });
        var runId = first.GetProperty("run_id").GetString()!;
        await _project.FinishAsync(runId);
        var logs = await McpCalls.CallAsync(client, "get_logs", new { runId, tail = 1 });
        var output = await McpCalls.CallAsync(client, "preview_output", new { runId, block = "double_it" });
        _project.Write("pipelines/broken/pipeline.yaml", "name: broken\nblocks:\n  - { name: a, uses: \"script:blocks/missing.csx\" }\n");
        var diagnostics = await McpCalls.CallAsync(client, "validate", new { });
        var toStop = (await McpCalls.CallAsync(client, "start_run", new { pipeline = "gate" })).GetProperty("run_id").GetString()!;
        var signalled = await McpCalls.CallAsync(client, "signal_run", new { runId = toStop, name = "go", data = new { reason = "checked by the assistant" } });
        var cancelled = await McpCalls.CallAsync(client, "cancel_run", new { runId = toStop });

        Assert.Contains(pipelines.GetProperty("items").EnumerateArray(), p => p.GetProperty("name").GetString() == "hello");
        Assert.Equal(["n", "colour"], pipeline.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(runId, again.GetProperty("run_id").GetString());
        Assert.Equal("doubling 21", Assert.Single(logs.GetProperty("items").EnumerateArray()).GetProperty("message").GetString());
        Assert.Equal(42, output.GetProperty("value").GetInt32());
        Assert.False(diagnostics.GetProperty("valid").GetBoolean());
        var problem = Assert.Single(diagnostics.GetProperty("items").EnumerateArray(), d => d.GetProperty("pipeline").GetString() == "broken");
        Assert.Equal(("pipelines/broken/pipeline.yaml", "error"), (problem.GetProperty("file").GetString(), problem.GetProperty("severity").GetString()));
        Assert.True(problem.GetProperty("line").GetInt32() > 0);
        Assert.StartsWith("DF", problem.GetProperty("code").GetString(), StringComparison.Ordinal);
        Assert.Equal(("go", toStop), (signalled.GetProperty("signal").GetString(), signalled.GetProperty("run_id").GetString()));
        Assert.Equal(toStop, cancelled.GetProperty("run_id").GetString());
        Assert.Equal("cancelled", (await McpCalls.CallAsync(client, "get_run", new { runId = toStop })).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_tool_is_refused_with_the_apis_words_as_the_caller_is_and_changes_are_audited_as_mcp()
    {
        var viewerKey = await KeyAsync(new { name = "assistant", role = "viewer" });
        await using var viewer = await ConnectAsync(viewerKey);
        await using var admin = await ConnectAsync(ApiTestProject.Key);

        var refused = await McpCalls.TryCallAsync(viewer, "start_run", new { pipeline = "hello", parameters = new { n = 1 } });
        var missing = await McpCalls.TryCallAsync(admin, "get_run", new { runId = "no-such-run" });
        var badParameter = await McpCalls.TryCallAsync(admin, "start_run", new { pipeline = "hello", parameters = new { n = "many" } });
        var noWorkspace = await McpCalls.TryCallAsync(admin, "list_pipelines", new { workspace = "nowhere" });
        var started = await McpCalls.CallAsync(admin, "start_run", new { pipeline = "hello", parameters = new { n = 3 } });
        var audit = await _project.GetAsync("/api/audit?action=run.start");

        Assert.True(refused.IsError);
        Assert.Contains("403 Forbidden: POST /api/pipelines/hello/runs needs the 'operate' permission", McpCalls.Text(refused), StringComparison.Ordinal);
        Assert.True(missing.IsError);
        Assert.Contains("404 Not Found: ", McpCalls.Text(missing), StringComparison.Ordinal);
        Assert.Contains("no-such-run", McpCalls.Text(missing), StringComparison.Ordinal);
        Assert.Contains("400 Bad Request: ", McpCalls.Text(badParameter), StringComparison.Ordinal);
        Assert.Contains("parameters.n", McpCalls.Text(badParameter), StringComparison.Ordinal);
        Assert.Contains("404 Not Found: no workspace named 'nowhere'", McpCalls.Text(noWorkspace), StringComparison.Ordinal);
        var entries = audit.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["202", "400", "403"], entries.Select(e => e.GetProperty("result").GetString()).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal("mcp", e.GetProperty("actor_kind").GetString()));
        Assert.Contains(entries, e => e.GetProperty("actor").GetString() == "key:assistant");
        Assert.NotNull(started.GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task Hostile_arguments_reach_no_other_route_and_are_refused_with_a_message()
    {
        var viewerKey = await KeyAsync(new { name = "reader", role = "viewer" });
        await using var viewer = await ConnectAsync(viewerKey);

        var escaping = await McpCalls.TryCallAsync(viewer, "get_run", new { runId = "../keys" });
        var dotted = await McpCalls.TryCallAsync(viewer, "get_run", new { runId = ".." });
        var workspace = await McpCalls.TryCallAsync(viewer, "list_pipelines", new { workspace = "../../keys" });
        var huge = await McpCalls.TryCallAsync(viewer, "get_pipeline", new { pipeline = new string('p', 100_000) });
        var wrongType = await McpCalls.TryCallAsync(viewer, "list_runs", new { limit = "many" });
        var badTail = await McpCalls.TryCallAsync(viewer, "get_logs", new { runId = "x", tail = 0 });
        var empty = await McpCalls.TryCallAsync(viewer, "get_run", new { runId = "" });
        var badData = await McpCalls.TryCallAsync(viewer, "signal_run", new { runId = "x", name = "go", data = "text" });
        var stillServes = await McpCalls.CallAsync(viewer, "list_pipelines", new { });

        Assert.All([escaping, dotted, workspace, huge, wrongType, badTail, empty, badData], r => Assert.True(r.IsError, McpCalls.Text(r)));
        Assert.Contains("a required argument is missing or empty", McpCalls.Text(empty), StringComparison.Ordinal);
        Assert.Contains("data is a JSON string; a signal's data is a JSON object", McpCalls.Text(badData), StringComparison.Ordinal);
        Assert.Contains("404 Not Found", McpCalls.Text(escaping), StringComparison.Ordinal);
        Assert.DoesNotContain("items", McpCalls.Text(escaping), StringComparison.Ordinal);
        Assert.Contains("404 Not Found: no workspace named", McpCalls.Text(workspace), StringComparison.Ordinal);
        Assert.Contains("tail is 0", McpCalls.Text(badTail), StringComparison.Ordinal);
        Assert.NotEmpty(stillServes.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_documentation_and_each_pipelines_files_are_resources_read_as_the_caller()
    {
        var limitedKey = await KeyAsync(new { name = "hello_reader", role = "viewer", pipelines = "hel*" });
        await using var admin = await ConnectAsync(ApiTestProject.Key);
        await using var limited = await ConnectAsync(limitedKey);

        var resources = await admin.ListResourcesAsync();
        var templates = await admin.ListResourceTemplatesAsync();
        var docs = await admin.ReadResourceAsync("duraflow://docs/ai.md");
        var hello = await limited.ReadResourceAsync("duraflow://pipelines/hello");
        var hidden = await Record.ExceptionAsync(() => limited.ReadResourceAsync("duraflow://pipelines/gate").AsTask());
        var prompts = await admin.ListPromptsAsync();
        var prompt = await admin.GetPromptAsync("debug_failed_run", new Dictionary<string, object?> { ["runId"] = "r-1" });

        Assert.Contains(resources, r => r.Uri == "duraflow://docs/security.md");
        Assert.Contains(templates, t => t.UriTemplate == "duraflow://pipelines/{pipeline}");
        Assert.Contains("# Duraflow for AI assistants", Assert.IsType<ModelContextProtocol.Protocol.TextResourceContents>(Assert.Single(docs.Contents)).Text, StringComparison.Ordinal);
        Assert.Contains("pipelines/hello/blocks/double_it.csx", Assert.IsType<ModelContextProtocol.Protocol.TextResourceContents>(Assert.Single(hello.Contents)).Text, StringComparison.Ordinal);
        Assert.NotNull(hidden);
        Assert.Contains("404: the project has no pipeline 'gate'", hidden.Message, StringComparison.Ordinal);
        Assert.Equal(["debug_failed_run", "write_block"], prompts.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("Take run r-1.", string.Concat(prompt.Messages.Select(m => (m.Content as ModelContextProtocol.Protocol.TextContentBlock)?.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_valid_credential_the_mcp_endpoint_answers_401_and_no_session_starts()
    {
        using var anonymous = _project.Factory.CreateClient();

        var refused = await anonymous.PostAsync(new Uri("/mcp", UriKind.Relative), new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"));
        var connect = await Record.ExceptionAsync(() => ConnectAsync("wrong-key"));

        await ApiTestProject.ProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.NotNull(connect);
    }

    private Task<McpClient> ConnectAsync(string key) => McpCalls.ConnectOverHttpAsync(_project.Factory.CreateClient(), key);

    private async Task<string> KeyAsync(object body)
    {
        var (response, created) = await _project.PostAsync("/api/keys", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return created.GetProperty("key").GetString()!;
    }

}

using System.Text.Json;
using Duraflow.Tests;
using Duraflow.Tests.Mcp;
using ModelContextProtocol.Client;

namespace Duraflow.Cli.Tests;

/// <summary>
/// <c>duraflow mcp</c> started as an assistant starts it, through the MCP SDK's stdio client: it lists its tools,
/// carries out the runs they start, acts as the local user (audited as mcp:USER@HOST), and with <c>--read-only</c>
/// refuses every change.
/// </summary>
public sealed class McpCommandTests : IDisposable
{
    private readonly TempFolder _project = new();

    // Set when the server writes the block's stray console line to standard error, where it belongs.
    private readonly TaskCompletionSource _strayOnStandardError = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public McpCommandTests()
    {
        _project.Write("pipelines/hello/pipeline.yaml", "name: hello\nparameters:\n  n: { type: int, default: 2 }\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        // A line written to the console outside the block's own flow (a pool thread without its context) must not land in
        // the protocol's stream.
        _project.Write("pipelines/hello/blocks/a.csx", "var written = new System.Threading.ManualResetEventSlim();\nSystem.Threading.ThreadPool.UnsafeQueueUserWorkItem(_ => { System.Console.WriteLine(\"a stray line\"); written.Set(); }, null);\nwritten.Wait();\nLog.LogInformation(\"n is {N}\", Param<long>(\"n\"));\nreturn Param<long>(\"n\") * 10;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task An_assistant_lists_the_tools_starts_a_run_that_is_carried_out_and_its_change_is_audited_as_mcp()
    {
        await using var client = await ConnectAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var tools = await client.ListToolsAsync(cancellationToken: limit.Token);
        var started = await McpCalls.CallAsync(client, "start_run", new { pipeline = "hello", parameters = new { n = 4 } }, limit.Token);
        var runId = started.GetProperty("run_id").GetString()!;
        var run = await WaitForEndAsync(client, runId, limit.Token);
        var unknown = await McpCalls.TryCallAsync(client, "get_pipeline", new { pipeline = "nope" }, limit.Token);
        var audit = await CliRunner.RunAsync(_project.Root, "audit", "--json");
        await _strayOnStandardError.Task.WaitAsync(limit.Token);

        Assert.Equal(13, tools.Count);
        Assert.Contains(tools, t => t.Name == "generate_block");
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(40, run.GetProperty("blocks")[0].GetProperty("output").GetProperty("value").GetInt32());
        Assert.True(unknown.IsError);
        Assert.Contains("404 Not Found: the project has no pipeline 'nope'", McpCalls.Text(unknown), StringComparison.Ordinal);
        using var entries = JsonDocument.Parse(audit.Out);
        var entry = Assert.Single(entries.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(("run.start", "mcp", "202"), (entry.GetProperty("action").GetString(), entry.GetProperty("actor_kind").GetString(), entry.GetProperty("result").GetString()));
        Assert.StartsWith("mcp:", entry.GetProperty("actor").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_only_refuses_a_change_naming_the_permission_and_still_reads()
    {
        await using var client = await ConnectAsync("--read-only");

        var refused = await McpCalls.TryCallAsync(client, "start_run", new { pipeline = "hello" });
        var pipelines = await McpCalls.CallAsync(client, "list_pipelines", new { }, CancellationToken.None);
        var runs = await McpCalls.CallAsync(client, "list_runs", new { }, CancellationToken.None);

        Assert.True(refused.IsError);
        Assert.Contains("403 Forbidden: POST /api/pipelines/hello/runs needs the 'operate' permission", McpCalls.Text(refused), StringComparison.Ordinal);
        Assert.Equal(["hello"], pipelines.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Empty(runs.GetProperty("items").EnumerateArray());
    }

    private async Task<McpClient> ConnectAsync(params string[] options)
    {
        var start = CliRunner.StartInfo(_project.Root, ["mcp", .. options]);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = start.FileName,
            Arguments = [.. start.ArgumentList],
            WorkingDirectory = _project.Root,
            EnvironmentVariables = start.Environment.ToDictionary(e => e.Key, e => e.Value),
            Name = "duraflow",
            StandardErrorLines = line =>
            {
                if (line.Contains("a stray line", StringComparison.Ordinal))
                {
                    _strayOnStandardError.TrySetResult();
                }
            },
        });
        return await McpClient.CreateAsync(transport);
    }

    // Runs are carried out by the server's own workers; the test asks until the run ends, as an assistant would.
    private static async Task<JsonElement> WaitForEndAsync(McpClient client, string runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var run = await McpCalls.CallAsync(client, "get_run", new { runId }, cancellationToken);
            if (run.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
            {
                return run;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

}

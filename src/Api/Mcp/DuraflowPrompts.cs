using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Duraflow.Api.Mcp;

/// <summary>The MCP prompts: the two tasks an assistant is most often asked to do with Duraflow, as the steps that use the tools.</summary>
[McpServerPromptType]
internal static class DuraflowPrompts
{
    [McpServerPrompt(Name = "debug_failed_run")]
    [Description("Find out why a run failed, propose a fix, and retry it once the fix is in.")]
    public static string DebugFailedRun([Description("The failed run's id; omit to take the newest failed run")] string? runId = null) =>
        (runId is null ? "Find the newest failed run with list_runs (status: failed). " : $"Take run {runId}. ")
        + "Call explain_failure on it: read each failed block's error, the tail of its logs, its inputs (the upstream outputs) and "
        + "the code around the failing line. Say in two or three sentences why it failed: the code, the data it read, or a "
        + "setting (a connection, a parameter). Propose the smallest change that fixes it and show it as a diff of the block's "
        + "file. Only after the user has made the change (check with validate that the project has no errors), call "
        + "retry_run with refresh: true so the failed blocks run on the files as they are now, then get_run until it ends.";

    [McpServerPrompt(Name = "write_block")]
    [Description("Write a new block for a pipeline from a description, grounded in the pipeline and its upstream outputs.")]
    public static string WriteBlock(
        [Description("The pipeline the block joins")] string pipeline,
        [Description("What the block should do")] string description,
        [Description("script (C#) or sql")] string kind = "script") =>
        $"Write a {kind} block for pipeline '{pipeline}' that does this: {description}. First call get_pipeline to see its blocks "
        + "and graph, and preview_output on the last successful run's upstream blocks (list_runs, then get_run) to learn the "
        + "columns and types it will read. Read the block API in the resource duraflow://docs/blocks.md. A C# script reads "
        + "an upstream table with Input(\"block\") and a parameter with Param<T>(\"name\"), logs with Log, and returns its "
        + "output; a SQL block reads upstream tables as {{ blocks.NAME }}. Show the new file and the lines to add to the "
        + "pipeline's pipeline.yaml (name, uses, and with: settings if any), then call validate once the user has added them. "
        + "When the project has a chat model (ai: in duraflow.yaml), generate_block writes a block that validates instead: "
        + "call it with dryRun true first and show the user the diff.";
}

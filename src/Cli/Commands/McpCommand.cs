using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Duraflow.Api.Auth;
using Duraflow.Api.Setup;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow mcp [--project P] [--read-only]</c>: the project's MCP server on standard input and output, for an AI
/// assistant that starts it (docs/ai.md). Its tools act as the local user (admin, as the CLI is; viewer with
/// <c>--read-only</c>, which refuses every change); changes are in the audit log as <c>mcp:USER@HOST</c>. It also
/// works on runs, as <c>duraflow serve</c> does, so the runs its tools start are carried out.
/// </summary>
internal static class McpCommand
{
    public static Command Create(Option<string?> project)
    {
        var readOnly = new Option<bool>("--read-only") { Description = "Only read: starting, cancelling, retrying and signalling runs are refused" };
        var command = new Command("mcp", "Serve the project's MCP server (tools for AI assistants) on standard input and output") { readOnly };
        command.SetAction(async (result, cancellationToken) =>
        {
            var resolved = ProjectResolver.Resolve(result.GetValue(project));
            var caller = new ApiCaller("mcp", CliIdentity.Caller.Replace("cli:", "mcp:", StringComparison.Ordinal), result.GetValue(readOnly) ? ApiRole.Viewer : ApiRole.Admin);

            // Only the protocol goes to standard output, so nothing is printed here; ASP.NET's own logs are quiet.
            string[] args = ["--Duraflow:Project", resolved.Root, "--Logging:LogLevel:Default", "Warning"];
            using var host = StdioMcpServer.Create(args, caller);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}

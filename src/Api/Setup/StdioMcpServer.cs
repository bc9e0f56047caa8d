using Duraflow.Api.Auth;
using Duraflow.Api.Mcp;

namespace Duraflow.Api.Setup;

/// <summary>
/// What <c>duraflow mcp</c> runs: the API's services and background work (as <c>duraflow serve</c> has them, so runs
/// the tools start are carried out) and the MCP server on standard input and output, acting for the local user.
/// Standard output carries the protocol only; logs go to standard error.
/// </summary>
internal static class StdioMcpServer
{
    /// <param name="args">Configuration, such as <c>--Duraflow:Project</c>.</param>
    /// <param name="caller">Whom the tools act for: the local user, admin, or viewer with <c>--read-only</c>.</param>
    public static IHost Create(string[] args, ApiCaller caller)
    {
        // The protocol keeps the process's standard output to itself; whatever else writes to the console (a block
        // on a thread of its own, a library) writes to standard error instead of breaking the stream of messages.
        var protocolOut = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddDuraflowApi(builder.Configuration, new ApiHosting(UnderFunctionsHost: false));

        // No request comes from a network: the tools' calls enter after the caller check, as the caller given.
        builder.Services.AddSingleton(new ApiAuthState(ApiAuthMode.Disabled));
        builder.Services.AddDuraflowMcpOverStdio(caller, Console.OpenStandardInput(), protocolOut);
        var host = builder.Build();
        ApiSetup.BuildDuraflowApi(host.Services);
        return host;
    }
}

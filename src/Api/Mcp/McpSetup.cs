using Duraflow.Api.Auth;
using ModelContextProtocol.Protocol;

namespace Duraflow.Api.Mcp;

/// <summary>
/// The MCP server (docs/ai.md) on its two transports: streamable HTTP at <c>/mcp</c> of <c>duraflow serve</c>, behind
/// the API's caller check and roles, and stdio for <c>duraflow mcp</c>. Not in the Functions app, whose HTTP function
/// hands over one request at a time and cannot hold an MCP session.
/// </summary>
internal static class McpSetup
{
    /// <summary>Where the HTTP transport is served.</summary>
    public const string Route = "/mcp";

    /// <summary>Registers the server for <c>/mcp</c>: each tool call acts for the request's checked caller.</summary>
    public static IServiceCollection AddDuraflowMcpOverHttp(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<McpOverHttp>();

        // Stateless: each call is served inside its own HTTP request, so its caller is the one checked for it.
        services.AddSingleton(s => new McpCaller(
            () => s.GetRequiredService<IHttpContextAccessor>().HttpContext is { } context && ApiCaller.Of(context) is { } caller ? caller with { Kind = "mcp" } : null,
            () => s.GetRequiredService<IHttpContextAccessor>().HttpContext));
        services.AddMcpServer(Describe).WithHttpTransport(o => o.Stateless = true).WithDuraflow();
        return services;
    }

    /// <summary>Registers the server on <paramref name="input"/> and <paramref name="output"/> (the process's standard
    /// streams), acting for <paramref name="caller"/>.</summary>
    public static IServiceCollection AddDuraflowMcpOverStdio(this IServiceCollection services, ApiCaller caller, Stream input, Stream output)
    {
        services.AddSingleton(new McpCaller(() => caller));
        services.AddMcpServer(Describe).WithStreamServerTransport(input, output).WithDuraflow();
        return services;
    }

    /// <summary>Maps <see cref="Route"/> when the server was registered for it; every MCP request needs <c>read</c>,
    /// and each tool call needs what its API route needs.</summary>
    public static void MapDuraflowMcp(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<McpOverHttp>() is not null)
        {
            // Served to callers of every workspace: each tool call is checked again, in the workspace it names.
            app.MapMcp(Route).Requires(ApiPermission.Read).InEveryWorkspace();
        }
    }

    // The same tools, prompts and resources on both transports.
    private static IMcpServerBuilder WithDuraflow(this IMcpServerBuilder builder) =>
        builder.WithTools<DuraflowTools>().WithPrompts([typeof(DuraflowPrompts)]).WithResources([.. DuraflowResources.Docs(), DuraflowResources.Pipelines()]);

    private static void Describe(ModelContextProtocol.Server.McpServerOptions options)
    {
        options.ServerInfo = new Implementation { Name = "duraflow", Version = typeof(McpSetup).Assembly.GetName().Version?.ToString() ?? "0" };
        options.ServerInstructions =
            "Duraflow runs data pipelines (DAGs of blocks). Find runs with list_runs (status: failed), read why one failed with "
            + "explain_failure, fix the code or data, and retry it with retry_run. validate reports problems in the project's files.";
    }

    /// <summary>Marks services that serve MCP over HTTP.</summary>
    private sealed class McpOverHttp;
}

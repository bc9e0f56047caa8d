using Duraflow.Api.Auth;

namespace Duraflow.Api.Mcp;

/// <summary>
/// Whom the MCP tools act for: over HTTP (<c>/mcp</c>), the caller the server let in for the request that carries the
/// tool call; over stdio (<c>duraflow mcp</c>), the local user, as the CLI acts.
/// </summary>
/// <param name="current">The caller of the tool call being served, or null when none was let in.</param>
/// <param name="request">The HTTP request that carries the call, or null over stdio.</param>
internal sealed class McpCaller(Func<ApiCaller?> current, Func<HttpContext?>? request = null)
{
    /// <summary>The HTTP request that carries the call (its client address goes into audit entries), or null over stdio.</summary>
    public HttpContext? Request => request?.Invoke();

    /// <summary>The caller, or an error when none was let in (which the server's caller check makes impossible).</summary>
    public ApiCaller Current => current() ?? throw new ModelContextProtocol.McpException("the request carries no checked caller; send the API key or an Entra token with it");
}

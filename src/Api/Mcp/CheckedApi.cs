using System.Text;
using System.Text.Json;
using Duraflow.Api.Auth;
using Duraflow.Api.Http;

namespace Duraflow.Api.Mcp;

/// <summary>
/// The API's request pipeline, for the MCP tools: a tool is a call of an API route on behalf of
/// a caller already known (the MCP client's, checked by the server; or the local user of <c>duraflow mcp</c>), so it
/// meets the same permissions, pipeline and workspace scopes, validation, rate limits, audit entries and messages as
/// the route itself. <see cref="CheckedApiCapture"/> hands the pipeline over when the API's pipeline is built: the whole
/// pipeline, error handling included, whose caller check passes a request whose caller is set.
/// </summary>
internal sealed class CheckedApi(IServiceScopeFactory scopes)
{
    private RequestDelegate? _pipeline;

    /// <summary>Takes the API's pipeline.</summary>
    public void Capture(RequestDelegate pipeline) => _pipeline = pipeline;

    /// <summary>Calls <paramref name="method"/> <paramref name="path"/> (with its query) as <paramref name="caller"/>.</summary>
    /// <param name="caller">Whom the call acts for.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The route's path and query, escaped.</param>
    /// <param name="body">The JSON body, or null for none.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    /// <param name="outer">The HTTP request that carries the MCP call, whose client address, host and trace the call
    /// keeps (audit entries record the address); null over stdio.</param>
    /// <returns>The status and the JSON body (undefined when the body is empty).</returns>
    public async Task<(int Status, JsonElement Body)> SendAsync(
        ApiCaller caller, string method, string path, object? body, CancellationToken cancellationToken, HttpContext? outer = null)
    {
        var pipeline = _pipeline ?? throw new InvalidOperationException("the API's request pipeline is not built yet");
        await using var scope = scopes.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = cancellationToken };
        var split = path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = method;
        context.Request.Path = split < 0 ? path : path[..split];
        context.Request.QueryString = split < 0 ? QueryString.Empty : new QueryString(path[split..]);
        context.Request.Headers.Accept = "application/json";
        if (outer is not null)
        {
            context.Connection.RemoteIpAddress = outer.Connection.RemoteIpAddress;
            context.Connection.RemotePort = outer.Connection.RemotePort;
            context.Request.Scheme = outer.Request.Scheme;
            context.Request.Host = outer.Request.Host;
            context.TraceIdentifier = outer.TraceIdentifier;
            context.User = outer.User;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(ApiJson.Serialize(body));
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
        }

        using var response = new MemoryStream();
        context.Response.Body = response;
        ApiCaller.Set(context, caller);
        await pipeline(context).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(response.ToArray());
        return (context.Response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}

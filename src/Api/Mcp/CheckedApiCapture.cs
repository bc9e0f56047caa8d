namespace Duraflow.Api.Mcp;

/// <summary>
/// Sits first in the API's pipeline, before its error handling and caller check, and does nothing to requests:
/// it is there to hand what follows it to <see cref="CheckedApi"/> when the pipeline is built. The caller check lets
/// a request through whose caller the server set (only server code can), so tool calls go on as their caller.
/// </summary>
internal sealed class CheckedApiCapture
{
    private readonly RequestDelegate _next;

    public CheckedApiCapture(RequestDelegate next, CheckedApi checkedApi)
    {
        _next = next;
        checkedApi.Capture(next);
    }

    public Task InvokeAsync(HttpContext context) => _next(context);
}

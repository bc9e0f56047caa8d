namespace Duraflow.Api.Mcp;

/// <summary>
/// Sits right after the caller check in the API's pipeline and does nothing to requests: it is there to hand what
/// follows it to <see cref="CheckedApi"/> when the pipeline is built.
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

using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace Duraflow.Api.Http;

/// <summary>
/// The problem body of an error status that ASP.NET answered with no body: no endpoint matched (404), the route
/// exists for other methods (405), or a framework check refused the request. Responses that have a body, such as
/// the API's own 404 for an unknown run, are left alone (status code pages only fill empty ones).
/// </summary>
internal static class FrameworkProblems
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var path = RequestPaths.Shown(http);
        var route = $"{request.Method} {path}";
        var status = http.Response.StatusCode;
        var (title, detail) = status switch
        {
            StatusCodes.Status404NotFound => ("Not found", $"there is no route {route}; the API's routes are listed in docs/api.md (GET /api/pipelines, GET /api/runs, ...)"),
            StatusCodes.Status405MethodNotAllowed => ("Method not allowed", http.Response.Headers.Allow is { Count: > 0 } allow
                ? $"{path} does not take {request.Method}; it takes {string.Join(", ", allow.ToArray())}"
                : $"{path} does not take {request.Method}"),
            StatusCodes.Status413PayloadTooLarge => ("The body is too large", $"the body of {route} is larger than the server accepts; send a smaller one"),
            StatusCodes.Status415UnsupportedMediaType => ("The body must be JSON", $"{route} takes a JSON body; send it with 'Content-Type: application/json'"),
            _ => (ReasonPhrases.GetReasonPhrase(status), $"{route} was refused with status {status}"),
        };
        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(http);
    }
}

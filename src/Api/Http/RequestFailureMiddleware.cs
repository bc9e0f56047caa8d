using Duraflow.Durable;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Duraflow.Api.Http;

/// <summary>
/// Turns a failure thrown while handling a request into a problem+json instead of the empty response the server
/// would send: a <see cref="BadHttpRequestException"/> (the server found the request itself bad, such as a body
/// over Kestrel's size limit) keeps its status, 413 or 400, with the server's reason; anything else is a 500 whose
/// exception is logged, so a bug shows in the log and the client still gets a body it can parse. A store that is
/// down or damaged is a 503 whose detail says what is wrong with it and what to do.
/// </summary>
internal sealed partial class RequestFailureMiddleware(RequestDelegate next, ILogger<RequestFailureMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // The message is the server's own ("Request body too large. The max request body size is N bytes."); it
            // names no secret.
            var title = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The body is too large" : "The request is invalid";
            context.Response.Clear();
            await Results.Problem(statusCode: e.StatusCode, title: title, detail: e.Message).ExecuteAsync(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && StoreProblem(e) is { } problem)
        {
            // The store is down or damaged: not the request's fault and not a bug, and its message says what to do.
            Failed(logger, context.Request.Method, RequestPaths.Shown(context), e);
            context.Response.Clear();
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The run store is unavailable", detail: problem).ExecuteAsync(context);
        }
        catch (DurableHostException e) when (!context.Response.HasStarted)
        {
            // The task hub of the durable runtime cannot be reached: like a store that is down, its message says why.
            Failed(logger, context.Request.Method, RequestPaths.Shown(context), e);
            context.Response.Clear();
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The durable runtime is unavailable", detail: e.Message).ExecuteAsync(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            Failed(logger, context.Request.Method, RequestPaths.Shown(context), e);
            context.Response.Clear();
            await Results.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: "The server failed",
                detail: $"{context.Request.Method} {RequestPaths.Shown(context)} failed inside the server, not because of the request; the server's log has the error").ExecuteAsync(context);
        }
    }

    private static string? StoreProblem(Exception e) => e switch
    {
        StoreUnavailableException unavailable => unavailable.Message,
        SqliteException damage when SqliteDamage.IsDamage(damage) => SqliteDamage.Describe("(store.path in duraflow.yaml)", damage),
        _ => null,
    };

    [LoggerMessage(5401, LogLevel.Error, "{Method} {Path} failed")]
    private static partial void Failed(ILogger logger, string method, string path, Exception exception);
}

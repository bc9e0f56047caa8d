using Duraflow.Api.Setup;

namespace Duraflow.Functions;

/// <summary>
/// The API as a request pipeline of its own (<see cref="ApiSetup.BuildDuraflowApi"/>), built once, on the first
/// request: the worker's web host receives the host's forwarded requests, and the <c>api</c> function hands each to
/// this pipeline, which routes it, checks the caller, answers errors as problem+json and writes the response.
/// </summary>
/// <remarks>
/// <c>duraflow serve</c> refuses to start when its settings would leave the API open (no API key, say). The Functions
/// host starts the worker whatever the app's settings, so here the same refusal answers every request instead: a 503
/// problem whose detail names the setting to fix, logged once as critical, and no route served unchecked.
/// </remarks>
/// <param name="services">The app's root services.</param>
/// <param name="logger">Where a refused configuration is reported.</param>
internal sealed partial class ApiPipeline(IServiceProvider services, ILogger<ApiPipeline> logger)
{
    private readonly Lazy<RequestDelegate> _pipeline = new(() => Build(services, logger));

    /// <summary>Runs the API for one request.</summary>
    /// <param name="context">The request's context; its response is written here.</param>
    public Task InvokeAsync(HttpContext context)
    {
        // The API routes the request itself; an endpoint chosen before it would make its routing skip the request.
        context.SetEndpoint(null);
        return _pipeline.Value(context);
    }

    private static RequestDelegate Build(IServiceProvider services, ILogger logger)
    {
        try
        {
            return ApiSetup.BuildDuraflowApi(services);
        }
        catch (InvalidOperationException refused)
        {
            var detail = refused.Message;
            LogRefused(logger, detail);
            return context => Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The app's settings leave the API unconfigured",
                detail: detail).ExecuteAsync(context);
        }
    }

    [LoggerMessage(5701, LogLevel.Critical, "The API serves nothing until its settings are fixed: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}

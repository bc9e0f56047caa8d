using Duraflow.Api.Setup;

namespace Duraflow.Functions;

/// <summary>
/// The API as a request pipeline of its own (<see cref="ApiSetup.BuildDuraflowApi"/>), built once, on the first
/// request: the worker's web host receives the host's forwarded requests, and the <c>api</c> function hands each to
/// this pipeline, which routes it, checks the caller, answers errors as problem+json and writes the response.
/// </summary>
/// <param name="services">The app's root services.</param>
internal sealed class ApiPipeline(IServiceProvider services)
{
    private readonly Lazy<RequestDelegate> _pipeline = new(() => ApiSetup.BuildDuraflowApi(services));

    /// <summary>Runs the API for one request.</summary>
    /// <param name="context">The request's context; its response is written here.</param>
    public Task InvokeAsync(HttpContext context)
    {
        // The API routes the request itself; an endpoint chosen before it would make its routing skip the request.
        context.SetEndpoint(null);
        return _pipeline.Value(context);
    }
}

using Duraflow.Api.Auth;

namespace Duraflow.Api.Http;

/// <summary>
/// Keeps a caller limited to some pipelines (a key made with <c>--pipelines GLOB</c>) inside them, after the permission
/// check: a pipeline outside the glob, and a run or backfill of one, answers 404 exactly as if it did not exist, and a
/// route that acts on every pipeline at once (<see cref="ActsAcrossPipelines"/>) answers 403. Lists are filtered by
/// their endpoints (<see cref="Allows"/>). A pipeline, run or backfill that does not exist answers the same 404 here,
/// before its endpoint reads the request, so no answer tells a hidden one from a missing one.
/// </summary>
internal sealed class PipelineScopeMiddleware(RequestDelegate next)
{
    /// <summary>True when the caller of <paramref name="context"/> may see <paramref name="pipeline"/>.</summary>
    public static bool Allows(HttpContext context, string pipeline) => PipelineGlob.Matches(ApiCaller.Of(context)?.Pipelines, pipeline);

    public async Task InvokeAsync(HttpContext context, SharedEngine sharedEngine)
    {
        if (ApiCaller.Of(context) is not { Pipelines: { } glob } caller || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            await next(context);
            return;
        }

        if (endpoint.Metadata.GetMetadata<ActsAcrossPipelines>() is not null)
        {
            await Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: $"{context.Request.Method} {endpoint.RoutePattern.RawText} acts on every pipeline, and {caller.Name} is limited to pipelines '{glob}'",
                extensions: new Dictionary<string, object?> { ["pipelines"] = glob }).ExecuteAsync(context);
            return;
        }

        if (await OutsideAsync(context, endpoint.RoutePattern.RawText ?? "", sharedEngine, glob) is { } hidden)
        {
            await hidden.ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    // The 404 a route of a pipeline, run or backfill outside the glob answers; null when it is inside (or unknown:
    // the endpoint then answers its own 404, the same one).
    private static async Task<IResult?> OutsideAsync(HttpContext context, string route, SharedEngine sharedEngine, string glob)
    {
        var values = context.Request.RouteValues;
        if (route.StartsWith("/api/pipelines/{name}", StringComparison.Ordinal) && values["name"] is string name)
        {
            return PipelineGlob.Matches(glob, name) ? null : ApiProblems.PipelineNotFound(name);
        }

        if (values["id"] is not string id)
        {
            return null;
        }

        var store = (await sharedEngine.GetAsync(context.RequestAborted)).Store;
        if (route.StartsWith("/api/runs/{id}", StringComparison.Ordinal))
        {
            // A run that does not exist answers here too, before the endpoint checks the request: otherwise a 400 for
            // a bad body would tell a missing run from a hidden one.
            var run = await store.GetRunAsync(id, context.RequestAborted);
            return run is not null && PipelineGlob.Matches(glob, run.State.Pipeline) ? null : ApiProblems.RunNotFound(id);
        }

        if (route.StartsWith("/api/backfills/{id}", StringComparison.Ordinal))
        {
            var backfill = await store.GetBackfillAsync(id, context.RequestAborted);
            return backfill is not null && PipelineGlob.Matches(glob, backfill.Backfill.Pipeline) ? null : BackfillEndpoints.NotFound(id);
        }

        return null;
    }
}

using Duraflow.Api.Auth;
using Duraflow.Engine.Definitions;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>GET /api/cache</c> and <c>DELETE /api/cache</c>: the cached block outputs of the project's store, of one
/// pipeline or block when the query names them, and clearing them, so that the next run computes those blocks again.
/// </summary>
internal static class CacheEndpoints
{
    private static readonly string[] QueryFields = ["pipeline", "block"];

    public static void MapCacheEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cache", ListAsync).WithSummary("The cached block outputs, by pipeline, block and age")
            .WithQuery(("pipeline", "Only this pipeline's entries"), ("block", "Only this block's entries")).Requires(ApiPermission.Read);
        app.MapDelete("/api/cache", ClearAsync).WithSummary("Clear cached block outputs; the next runs compute those blocks again")
            .WithQuery(("pipeline", "Only this pipeline's entries"), ("block", "Only this block's entries")).Requires(ApiPermission.Administer).AcrossPipelines().Audited("cache.clear");
    }

    private static async Task<IResult> ListAsync(HttpContext context, HttpRequest request, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var (pipeline, block, problem) = Filter(request.Query);
        if (problem is not null)
        {
            return problem;
        }

        var engine = await sharedEngine.GetAsync(cancellationToken);
        var entries = await engine.Store.ListCacheEntriesAsync(pipeline, block, cancellationToken);
        return Results.Ok(CacheJson.List([.. entries.Where(e => PipelineScopeMiddleware.Allows(context, e.Pipeline))]));
    }

    private static async Task<IResult> ClearAsync(HttpRequest request, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var (pipeline, block, problem) = Filter(request.Query);
        if (problem is not null)
        {
            return problem;
        }

        var engine = await sharedEngine.GetAsync(cancellationToken);
        return Results.Ok(CacheJson.Cleared(await engine.Store.DeleteCacheEntriesAsync(pipeline, block, cancellationToken), pipeline, block));
    }

    // A misspelt filter must not widen a clear to the whole cache, so unknown and repeated query fields are refused.
    private static (string? Pipeline, string? Block, IResult? Problem) Filter(IQueryCollection query)
    {
        if (query.Keys.FirstOrDefault(k => !QueryFields.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            return (null, null, ApiProblems.BadField(unknown, $"is not a filter of the cache; use {string.Join(" or ", QueryFields)}, or none for every entry"));
        }

        var values = new string?[QueryFields.Length];
        for (var i = 0; i < QueryFields.Length; i++)
        {
            var given = query[QueryFields[i]];
            if (given.Count > 1)
            {
                return (null, null, ApiProblems.BadField(QueryFields[i], "is given more than once; give one name"));
            }

            if (given.Count == 1 && !Names.IsValid(given[0] ?? ""))
            {
                return (null, null, ApiProblems.BadField(QueryFields[i], $"'{Shorten(given[0] ?? "")}' is not a {QueryFields[i]} name; names are {Names.Rule}"));
            }

            values[i] = given.Count == 1 ? given[0] : null;
        }

        return (values[0], values[1], null);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>GET /api/ready</c>: whether the app can do its work — the project validates, the engine opens and its store
/// answers a query. <c>/api/health</c> only says the process is up, and stays cheap because the Functions host and
/// load balancers call it often.
/// </summary>
internal static class ReadinessEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, PipelineCatalog catalog, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var validation = catalog.Validate();

        // A caller limited to some pipelines is told of the others only that they exist in a number.
        var invalid = validation.Pipelines.Where(p => !p.IsValid)
            .Select(p => p.Definition?.Name is { } name && !PipelineScopeMiddleware.Allows(context, name) ? "(one outside this key's pipelines)" : p.Definition?.Name ?? p.DisplayPath)
            .ToList();
        var projectErrors = validation.Diagnostics.Count(d => d.IsError);
        string? storeProblem = null;
        try
        {
            var committer = (await sharedEngine.GetAsync(cancellationToken)).Committer;
            await committer.Store.CountUnfinishedRunsAsync(cancellationToken);
        }
        catch (Exception e) when (e is StoreSettingsException or StoreUnavailableException or IOException or InvalidOperationException)
        {
            // The message says what to fix (a setting, the account, the file); it names no secret.
            storeProblem = e.Message;
        }

        var checks = new
        {
            Project = projectErrors == 0 ? "ok" : $"{projectErrors} errors; invalid pipelines: {string.Join(", ", invalid)}",
            Store = storeProblem ?? "ok",
        };
        return projectErrors == 0 && storeProblem is null
            ? Results.Ok(new { Status = "ready", Checks = checks })
            : Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Not ready",
                detail: storeProblem is null ? "the project does not validate; run 'duraflow validate'" : "the run store cannot be used",
                extensions: new Dictionary<string, object?> { ["checks"] = checks });
    }
}

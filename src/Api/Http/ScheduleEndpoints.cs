using Duraflow.Api.Auth;
using Duraflow.Engine.Triggers.Schedules;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>GET /api/schedules</c>, and <c>POST /api/pipelines/{name}/schedules/pause</c> and <c>…/resume</c>: a
/// pipeline's schedules can be seen, paused and resumed. The scheduler skips a paused pipeline's ticks, leaving its
/// marks where they were, so on resume the missed ticks go as the schedule's <c>catch_up</c> says.
/// </summary>
internal static class ScheduleEndpoints
{
    private static readonly string[] PauseFields = ["reason"];

    public static void MapScheduleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/schedules", ListAsync).WithSummary("Every pipeline's schedules, with their marks, next ticks and pauses").Requires(ApiPermission.Read);
        app.MapPost("/api/pipelines/{name}/schedules/pause", PauseAsync).WithSummary("Pause the pipeline's schedules").Requires(ApiPermission.Operate).Audited("schedules.pause", "pipeline:{name}");
        app.MapPost("/api/pipelines/{name}/schedules/resume", ResumeAsync).WithSummary("Resume the pipeline's schedules").Requires(ApiPermission.Operate).Audited("schedules.resume", "pipeline:{name}");
    }

    private static async Task<IResult> ListAsync(HttpContext context, SharedEngine sharedEngine, PipelineCatalog catalog, AppProject project, CancellationToken cancellationToken)
    {
        var control = await ControlAsync(sharedEngine, catalog, project, cancellationToken);
        var local = await sharedEngine.GetAsync(cancellationToken);
        var listed = await control.ListAsync(local.Committer.Time.GetUtcNow(), cancellationToken);
        return Results.Ok(ScheduleJson.List([.. listed.Where(s => PipelineScopeMiddleware.Allows(context, s.Pipeline))]));
    }

    private static async Task<IResult> PauseAsync(
        string name, HttpContext context, SharedEngine sharedEngine, PipelineCatalog catalog, AppProject project, CancellationToken cancellationToken)
    {
        var (root, problem) = await JsonRequestBody.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        string? reason = null;
        if (root is { } body)
        {
            if (KnownFields.Check(body, PauseFields, "a pause request") is { } unknown)
            {
                return unknown;
            }

            if (body.TryGetProperty("reason", out var given))
            {
                if (given.ValueKind is not (System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Null))
                {
                    return ApiProblems.BadField("reason", $"must be text (up to {ScheduleControl.MaxReasonLength} characters), not {given.ValueKind.ToString().ToLowerInvariant()}");
                }

                reason = given.GetString();
            }
        }

        var control = await ControlAsync(sharedEngine, catalog, project, cancellationToken);
        return await RefusedOrAsync(name, async () =>
        {
            var (pause, added) = await control.PauseAsync(name, CallerIdentity.Of(context), reason, cancellationToken);
            return Results.Ok(ScheduleJson.State(name, pause, changed: added));
        });
    }

    private static async Task<IResult> ResumeAsync(
        string name, HttpContext context, SharedEngine sharedEngine, PipelineCatalog catalog, AppProject project, CancellationToken cancellationToken)
    {
        var (root, problem) = await JsonRequestBody.ReadAsync(context.Request, cancellationToken);
        var refused = problem ?? (root is { } body ? KnownFields.Check(body, [], "a resume request") : null);
        if (refused is not null)
        {
            return refused;
        }

        var control = await ControlAsync(sharedEngine, catalog, project, cancellationToken);
        return await RefusedOrAsync(name, async () =>
        {
            var removed = await control.ResumeAsync(name, cancellationToken);
            return Results.Ok(ScheduleJson.State(name, null, changed: removed is not null));
        });
    }

    private static async Task<ScheduleControl> ControlAsync(SharedEngine sharedEngine, PipelineCatalog catalog, AppProject project, CancellationToken cancellationToken)
    {
        var local = await sharedEngine.GetAsync(cancellationToken);
        return new ScheduleControl(local.Store, catalog.Validate(), project.Open().Settings.TimeZone);
    }

    private static async Task<IResult> RefusedOrAsync(string name, Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ScheduleControlException e) when (e.NotFound)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Pipeline not found", detail: e.Message);
        }
        catch (ScheduleControlException e)
        {
            return ApiProblems.BadField(e.Field == "pipeline" ? "name" : e.Field, e.Message);
        }
    }
}

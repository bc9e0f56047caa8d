using System.Text.Json;
using Duraflow.Api.Auth;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Triggers.Schedules;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>POST /api/pipelines/{name}/backfills</c>, <c>GET /api/backfills</c>, <c>GET /api/backfills/{id}</c> and
/// <c>POST /api/backfills/{id}/cancel</c>: what <c>duraflow backfill</c> and <c>duraflow backfills</c> do, over HTTP.
/// A created backfill starts its first runs before the answer; the server moves it on as they end.
/// </summary>
internal static class BackfillEndpoints
{
    private static readonly string[] Fields = ["from", "to", "schedule", "concurrency", "parameters"];

    public static void MapBackfillEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/pipelines/{name}/backfills", CreateAsync).WithSummary("Run a pipeline's schedule over a past range: one run per tick").Requires(ApiPermission.Operate).Audited("backfill.start", "pipeline:{name}");
        app.MapGet("/api/backfills", ListAsync).WithSummary("Backfills, newest first, with their counts").WithQuery(("pipeline", "Only this pipeline's backfills")).Requires(ApiPermission.Read);
        app.MapGet("/api/backfills/{id}", GetAsync).WithSummary("One backfill").Requires(ApiPermission.Read);
        app.MapPost("/api/backfills/{id}/cancel", CancelAsync).WithSummary("Cancel a backfill and the runs it has going").Requires(ApiPermission.Operate).Audited("backfill.cancel", "backfill:{id}");
    }

    private static async Task<IResult> CreateAsync(string name, HttpContext context, SharedBackfills backfills, CancellationToken cancellationToken)
    {
        var (root, problem) = await JsonRequestBody.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (root is not { ValueKind: JsonValueKind.Object } body)
        {
            return ApiProblems.BadField("from", "is required: a backfill request is { \"from\": \"2026-11-01\", \"to\": \"2026-12-01\" }");
        }

        if (KnownFields.Check(body, Fields, "a backfill request") is { } unknown)
        {
            return unknown;
        }

        var errors = new List<FieldError>();
        var from = Text(body, "from", errors);
        var to = Text(body, "to", errors);
        var schedule = Number(body, "schedule", errors);
        var concurrency = Number(body, "concurrency", errors);
        var parameters = Parameters(body, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.BadRequest(string.Join("; ", errors.Select(e => $"'{e.Field}': {e.Message}")), errors);
        }

        var driver = await backfills.DriverAsync(cancellationToken);
        try
        {
            var backfill = await driver.CreateAsync(
                new BackfillRequest(name, from!, to!, schedule, concurrency, parameters, CallerIdentity.Of(context)), cancellationToken);
            return Results.Json(BackfillJson.Of(backfill), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
        }
        catch (BackfillException e)
        {
            return Refused(e);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, HttpRequest request, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var pipeline = request.Query["pipeline"].FirstOrDefault();
        if (pipeline is not null && !Names.IsValid(pipeline))
        {
            return ApiProblems.BadField("pipeline", $"is not a pipeline name; names are {Names.Rule}");
        }

        var local = await sharedEngine.GetAsync(cancellationToken);
        var listed = await local.Store.ListBackfillsAsync(pipeline, runningOnly: false, cancellationToken);
        return Results.Ok(BackfillJson.List(listed.Select(b => b.Backfill).Where(b => PipelineScopeMiddleware.Allows(context, b.Pipeline))));
    }

    private static async Task<IResult> GetAsync(string id, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var local = await sharedEngine.GetAsync(cancellationToken);
        return await local.Store.GetBackfillAsync(id, cancellationToken) is { } stored ? Results.Ok(BackfillJson.Of(stored.Backfill)) : NotFound(id);
    }

    private static async Task<IResult> CancelAsync(string id, HttpRequest request, SharedBackfills backfills, CancellationToken cancellationToken)
    {
        var (root, problem) = await JsonRequestBody.ReadAsync(request, cancellationToken);
        var refused = problem ?? (root is { } body ? KnownFields.Check(body, [], "a cancel request") : null);
        if (refused is not null)
        {
            return refused;
        }

        var driver = await backfills.DriverAsync(cancellationToken);
        var (backfill, _) = await driver.CancelAsync(id, backfills.CancelRunAsync, cancellationToken);
        return backfill is null ? NotFound(id) : Results.Json(BackfillJson.Of(backfill), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    public static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Backfill not found", detail: $"there is no backfill '{Shorten(id)}'; GET /api/backfills lists them");

    private static IResult Refused(BackfillException e) => e.NotFound
        ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Pipeline not found", detail: e.Message)
        : ApiProblems.BadField(e.Field == "pipeline" ? "name" : e.Field, e.Message);

    private static string? Text(JsonElement body, string field, List<FieldError> errors)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 64 } text)
        {
            errors.Add(new FieldError(field, "is required: a date and time as text, such as \"2026-11-01\" or \"2026-11-01T06:00:00+01:00\"", "string"));
            return null;
        }

        return text;
    }

    private static int? Number(JsonElement body, string field, List<FieldError> errors)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            errors.Add(new FieldError(field, "must be a whole number", "integer"));
            return null;
        }

        return number;
    }

    private static Dictionary<string, ParameterInput> Parameters(JsonElement body, List<FieldError> errors)
    {
        if (!body.TryGetProperty("parameters", out var parameters) || parameters.ValueKind == JsonValueKind.Null)
        {
            return new Dictionary<string, ParameterInput>(StringComparer.Ordinal);
        }

        if (parameters.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("parameters", "must be an object of parameter names and values", "object"));
            return new Dictionary<string, ParameterInput>(StringComparer.Ordinal);
        }

        return parameters.EnumerateObject().ToDictionary(p => p.Name, p => ParameterInput.FromJson(p.Value), StringComparer.Ordinal);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

using System.Text.Json;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>POST /api/pipelines/{name}/runs</c>: validates the pipeline and its parameters as <c>duraflow run</c> does, then
/// queues the run for the workers and answers at once (202) with where to follow it.
/// </summary>
internal static class StartRunEndpoint
{
    /// <summary>The header a client may send instead of the body's <c>idempotency_key</c>.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const int MaxIdempotencyKeyLength = 200;

    // The members of a start request's body; any other is refused (KnownFields).
    private static readonly string[] Fields = ["parameters", "idempotency_key"];

    public static async Task<IResult> HandleAsync(string name, HttpRequest request, PipelineCatalog catalog, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var pipeline = catalog.Validate().Pipelines.FirstOrDefault(p => p.Definition?.Name == name);
        if (pipeline is null)
        {
            return ApiProblems.PipelineNotFound(name);
        }

        if (!pipeline.IsValid)
        {
            return ApiProblems.InvalidPipeline(pipeline);
        }

        var definition = pipeline.Definition!;
        if (definition.Triggers.OfType<HttpTrigger>().Any(t => !t.Enabled))
        {
            return ApiProblems.Conflict("HTTP starts are disabled", $"pipeline '{name}' has 'http: {{ enabled: false }}' among its triggers, so it cannot be started over HTTP");
        }

        var (body, bodyError) = await ReadBodyAsync(request, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var key = request.Headers[IdempotencyKeyHeader].FirstOrDefault() ?? body.IdempotencyKey;
        if (key is not null && (key.Length == 0 || key.Length > MaxIdempotencyKeyLength))
        {
            return ApiProblems.BadField("idempotency_key", $"must be 1 to {MaxIdempotencyKeyLength} characters");
        }

        // JSON null means "not given": the parameter's default applies, as if it were left out.
        var given = (body.Parameters ?? []).Where(p => p.Value.ValueKind != JsonValueKind.Null)
            .ToDictionary(p => p.Key, p => ParameterInput.FromJson(p.Value), StringComparer.Ordinal);
        var resolution = RunParameters.Resolve(definition, given);
        if (resolution.Parameters is not { } parameters)
        {
            var errors = resolution.Problems.Select(FieldErrorOf).ToList();
            return ApiProblems.BadRequest(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")), errors);
        }

        var starter = await (await sharedEngine.RouterAsync(cancellationToken)).StarterAsync(cancellationToken);
        var started = await starter.StartAsync(new RunRequest(pipeline, parameters, RunTrigger.ByHand(RunTrigger.Http)) { IdempotencyKey = CallerKeys.Of(key) }, cancellationToken);
        if (started.Created)
        {
            return Results.Accepted(RunLinks.Of(request.HttpContext, started.RunId), Started(RunLinks.Of(request.HttpContext, started.RunId), started.RunId, name, started.Status));
        }

        // The same key again is the same request again: answer with the run it made, whatever that run is doing now.
        if (started.Pipeline != name)
        {
            // A run of a pipeline the caller may not see is not named: the key is taken, that is all it learns.
            return ApiProblems.Conflict("Idempotency key already used", PipelineScopeMiddleware.Allows(request.HttpContext, started.Pipeline)
                ? $"idempotency key '{key}' already started run {started.RunId} of pipeline '{started.Pipeline}'"
                : $"idempotency key '{key}' is already used; choose another");
        }

        request.HttpContext.Response.Headers.Location = RunLinks.Of(request.HttpContext, started.RunId);
        return Results.Ok(Started(RunLinks.Of(request.HttpContext, started.RunId), started.RunId, name, started.Status));
    }

    // The field is the parameter; the expected type is named when the value did not convert or was missing.
    private static FieldError FieldErrorOf(ParameterProblem problem) => new(
        $"parameters.{problem.Name}",
        problem.Kind == ParameterProblemKind.Missing ? "is required" : problem.Detail,
        problem.Kind is ParameterProblemKind.WrongType or ParameterProblemKind.Missing && problem.Type is { } type ? ParameterValues.NameOf(type) : null);

    private static object Started(string location, string runId, string pipeline, RunStatus status) => new { RunId = runId, Pipeline = pipeline, Status = status.ToSnakeCase(), Location = location };

    private static async Task<(StartRunRequest Body, IResult? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // No body starts the run with its defaults, which makes `curl -X POST` enough for a pipeline without parameters.
        var (root, problem) = await JsonRequestBody.ReadAsync(request, cancellationToken);
        if (problem is not null || root is not { } body)
        {
            return (new StartRunRequest(), problem);
        }

        if (KnownFields.Check(body, Fields, "a start request") is { } unknown)
        {
            return (new StartRunRequest(), unknown);
        }

        var read = new StartRunRequest();
        if (body.TryGetProperty("parameters", out var parameters) && parameters.ValueKind != JsonValueKind.Null)
        {
            if (parameters.ValueKind != JsonValueKind.Object)
            {
                return (read, ApiProblems.BadField("parameters", "must be an object of parameter names and values"));
            }

            // Names are unique: JsonRequestBody refused repeated ones.
            read = read with { Parameters = parameters.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal) };
        }

        if (body.TryGetProperty("idempotency_key", out var key) && key.ValueKind != JsonValueKind.Null)
        {
            if (key.ValueKind != JsonValueKind.String)
            {
                return (read, ApiProblems.BadField("idempotency_key", "must be a string"));
            }

            read = read with { IdempotencyKey = key.GetString() };
        }

        return (read, null);
    }

    private sealed record StartRunRequest(Dictionary<string, JsonElement>? Parameters = null, string? IdempotencyKey = null);
}

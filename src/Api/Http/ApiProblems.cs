using Duraflow.Engine.Validation;

namespace Duraflow.Api.Http;

/// <summary>
/// The API's RFC 9457 problem responses. Every client error names what was wrong in <c>errors</c> (a field, a query
/// parameter or a pipeline parameter), so callers can show it without parsing the prose in <c>detail</c>.
/// </summary>
internal static class ApiProblems
{
    public static IResult RunNotFound(string runId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Run not found", detail: $"there is no run '{runId}'");

    public static IResult PipelineNotFound(string name) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Pipeline not found", detail: $"the project has no pipeline '{name}'");

    /// <summary>400 for one bad field of the request: a body member, a query parameter or a header.</summary>
    public static IResult BadField(string field, string message) =>
        BadRequest($"'{field}': {message}", [new FieldError(field, message)]);

    /// <summary>400 with every error found, so a client fixes them in one go.</summary>
    public static IResult BadRequest(string detail, IReadOnlyList<FieldError> errors) =>
        Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "The request is invalid",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>415: the body is not JSON (or not UTF-8); <paramref name="detail"/> says what to send instead.</summary>
    public static IResult UnsupportedMediaType(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be JSON", detail: detail);

    /// <summary>413: the body is larger than the API reads.</summary>
    public static IResult PayloadTooLarge(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large", detail: detail);

    /// <summary>422: the pipeline's files have errors, listed located, so nothing runs on them.</summary>
    public static IResult InvalidPipeline(ValidatedPipeline pipeline) =>
        Results.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Pipeline definition is invalid",
            detail: $"pipeline '{pipeline.Definition?.Name}' has errors; fix them and run 'duraflow validate'",
            extensions: new Dictionary<string, object?> { ["errors"] = pipeline.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToList() });

    /// <summary>409: the run or pipeline is in a state that refuses the request; <paramref name="detail"/> says why.</summary>
    public static IResult Conflict(string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}

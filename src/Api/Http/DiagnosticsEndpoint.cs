using Duraflow.Api.Auth;
using Duraflow.Engine.Diagnostics;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>GET /api/diagnostics</c>: the project validated as it is on disk now, as <c>duraflow validate</c> reports it:
/// each problem with its file, line, column, code and severity, and the pipeline it belongs to (null for the project's
/// settings and problems across pipelines). A caller limited to some pipelines gets no problem of the others.
/// </summary>
internal static class DiagnosticsEndpoint
{
    public static void MapDiagnosticsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/diagnostics", Handle).WithSummary("Every validation problem of the project's files: file, line, column, code, severity, message").Requires(ApiPermission.Read);
    }

    private static IResult Handle(HttpContext context, PipelineCatalog catalog)
    {
        var validation = catalog.Validate();
        var owners = new Dictionary<Diagnostic, string?>();
        foreach (var pipeline in validation.Pipelines)
        {
            foreach (var diagnostic in pipeline.Diagnostics)
            {
                owners.TryAdd(diagnostic, pipeline.Definition?.Name ?? Path.GetFileName(Path.GetDirectoryName(pipeline.DisplayPath)));
            }
        }

        var shown = validation.Diagnostics.Concat(owners.Keys).Distinct()
            .Select(d => (Diagnostic: d, Pipeline: owners.GetValueOrDefault(d)))
            .Where(d => d.Pipeline is null || PipelineScopeMiddleware.Allows(context, d.Pipeline))
            .OrderBy(d => d.Diagnostic.Location.File, StringComparer.Ordinal).ThenBy(d => d.Diagnostic.Location.Line).ThenBy(d => d.Diagnostic.Location.Column)
            .ToList();
        return Results.Ok(new
        {
            Valid = !shown.Any(d => d.Diagnostic.IsError),
            Items = shown.Select(d => new
            {
                d.Diagnostic.Location.File,
                d.Diagnostic.Location.Line,
                d.Diagnostic.Location.Column,
                d.Diagnostic.Code,
                Severity = d.Diagnostic.IsError ? "error" : "warning",
                d.Diagnostic.Message,
                d.Pipeline,
            }),
        });
    }
}

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
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pipeline in validation.Pipelines)
        {
            var name = pipeline.Definition?.Name ?? Path.GetFileName(Path.GetDirectoryName(pipeline.DisplayPath)) ?? pipeline.DisplayPath;
            folders.TryAdd(Folder(pipeline.DisplayPath), name);
            foreach (var diagnostic in pipeline.Diagnostics)
            {
                owners.TryAdd(diagnostic, name);
            }
        }

        // A problem across pipelines (one name in two folders) belongs to the pipeline whose file it is in; a caller
        // limited to some pipelines gets none that is in another's folder, or in no pipeline's but under pipelines/.
        var limited = ApiCaller.Of(context)?.Pipelines is not null;
        var shown = validation.Diagnostics.Concat(owners.Keys).Distinct()
            .Select(d => (Diagnostic: d, Pipeline: owners.GetValueOrDefault(d) ?? folders.GetValueOrDefault(Folder(d.Location.File))))
            .Where(d => d.Pipeline is null
                ? !limited || !Shown(d.Diagnostic.Location.File).StartsWith("pipelines/", StringComparison.Ordinal)
                : PipelineScopeMiddleware.Allows(context, d.Pipeline))
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

    private static string Shown(string path) => path.Replace('\\', '/');

    private static string Folder(string path) => Shown(Path.GetDirectoryName(path) ?? "");
}

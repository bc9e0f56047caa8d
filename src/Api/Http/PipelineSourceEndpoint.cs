using Duraflow.Api.Auth;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>GET /api/pipelines/{name}/source</c>: the text of the pipeline's pipeline.yaml and of every file its blocks use
/// (scripts, SQL), as validation read them, each by its path in the project. Only those files: the route takes no
/// path, so it reads nothing else of the server's disk. An assistant reads the code of a failed block from it.
/// </summary>
internal static class PipelineSourceEndpoint
{
    // A pipeline.yaml larger than this is not shown whole; validation refuses far smaller ones anyway.
    private const int LongestDefinition = 1024 * 1024;

    public static void MapPipelineSourceEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pipelines/{name}/source", HandleAsync).WithSummary("The text of the pipeline's definition and of the files its blocks use").Requires(ApiPermission.Read);
    }

    private static async Task<IResult> HandleAsync(string name, PipelineCatalog catalog, CancellationToken cancellationToken)
    {
        var pipeline = catalog.Validate().Pipelines.FirstOrDefault(p => p.Definition?.Name == name);
        if (pipeline is null)
        {
            return ApiProblems.PipelineNotFound(name);
        }

        var definitionPath = Path.GetFullPath(Path.Combine(catalog.Root, pipeline.DisplayPath));
        var folder = Path.GetDirectoryName(pipeline.DisplayPath) ?? "";
        var definition = File.Exists(definitionPath) && new FileInfo(definitionPath).Length <= LongestDefinition
            ? await File.ReadAllTextAsync(definitionPath, cancellationToken)
            : null;
        return Results.Ok(new
        {
            Pipeline = name,
            Definition = new { Path = Shown(pipeline.DisplayPath), Text = definition },
            Files = pipeline.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new { Path = Shown(Path.Combine(folder, f.Key)), Text = f.Value }),
        });
    }

    private static string Shown(string path) => path.Replace('\\', '/');
}

using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Duraflow.Api.Mcp;

/// <summary>
/// The MCP resources: each page of Duraflow's documentation (<c>duraflow://docs/NAME.md</c>, embedded in this build, so
/// it is the documentation of the version that serves it) and each pipeline's files
/// (<c>duraflow://pipelines/NAME</c>: its pipeline.yaml and the files its blocks use, read through the API as the
/// caller, so a key limited to some pipelines reads only theirs).
/// </summary>
internal static class DuraflowResources
{
    /// <summary>Every documentation page, as a resource of its own.</summary>
    public static IEnumerable<McpServerResource> Docs()
    {
        foreach (var file in EmbeddedDocs.Files())
        {
            yield return McpServerResource.Create(
                () => new TextResourceContents { Uri = $"duraflow://docs/{file}", MimeType = "text/markdown", Text = EmbeddedDocs.Read(file) },
                new McpServerResourceCreateOptions { UriTemplate = $"duraflow://docs/{file}", Name = $"docs/{file}", MimeType = "text/markdown", Description = $"Duraflow's documentation: {file}" });
        }
    }

    /// <summary>A pipeline's files, read as the caller.</summary>
    public static McpServerResource Pipelines() => McpServerResource.Create(
        async (McpServer server, string pipeline, CancellationToken cancellationToken) =>
        {
            var services = server.Services ?? throw new ModelContextProtocol.McpException("the server has no services");
            var caller = services.GetRequiredService<McpCaller>();
            var (status, body) = await services.GetRequiredService<CheckedApi>()
                .SendAsync(caller.Current, "GET", $"{McpRoutes.ApiBase(caller.Current.Workspace)}/pipelines/{McpRoutes.Segment(pipeline)}/source", null, cancellationToken, caller.Request)
                .ConfigureAwait(false);
            if (status >= 400)
            {
                throw new ModelContextProtocol.McpException($"{status}: {(body.TryGetProperty("detail", out var detail) ? detail.GetString() : "the pipeline's files cannot be read")}");
            }

            return new TextResourceContents { Uri = $"duraflow://pipelines/{pipeline}", MimeType = "application/json", Text = body.GetRawText() };
        },
        new McpServerResourceCreateOptions
        {
            UriTemplate = "duraflow://pipelines/{pipeline}",
            Name = "pipeline files",
            MimeType = "application/json",
            Description = "A pipeline's pipeline.yaml and the files its blocks use (list_pipelines names them), in the caller's workspace or the default one",
        });
}

using System.Reflection;
using Microsoft.AspNetCore.OpenApi;

namespace Duraflow.Api.Http;

/// <summary>
/// The OpenAPI document at <c>/api/openapi.json</c>, generated from the endpoints as mapped, so it lists what the API
/// serves and cannot drift from it (docs/api.md explains each endpoint in words).
/// </summary>
internal static class ApiDocument
{
    /// <summary>The document's name, which is also its file name in <see cref="Route"/>.</summary>
    public const string Name = "openapi";

    /// <summary>Where it is served: the OpenAPI endpoint takes the document name from the route.</summary>
    public const string Route = "/api/{documentName}.json";

    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, context, _) =>
        {
            // A workspace's document names the paths its callers send, under its own routes.
            var workspace = context.ApplicationServices.GetRequiredService<ServedWorkspace>();
            if (workspace != ServedWorkspace.Default && document.Paths is { } paths)
            {
                var moved = new Microsoft.OpenApi.OpenApiPaths();
                foreach (var (path, item) in paths)
                {
                    moved[path.StartsWith(ServedWorkspace.Default.ApiBase + "/", StringComparison.Ordinal) ? workspace.ApiBase + path[ServedWorkspace.Default.ApiBase.Length..] : path] = item;
                }

                document.Paths = moved;
            }

            document.Info.Title = workspace == ServedWorkspace.Default ? "Duraflow API" : $"Duraflow API: workspace {workspace.Name}";
            document.Info.Description = "Start, watch and steer pipeline runs; see docs/api.md for each endpoint's behaviour and errors.";
            document.Info.Version = typeof(ApiDocument).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
            return Task.CompletedTask;
        });
    }
}

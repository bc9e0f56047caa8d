using Duraflow.Api.Auth;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>GET /api/workspaces</c>: the workspaces the caller can reach and where their routes start: the default one at
/// <c>/api</c>, and each of <c>duraflow serve --workspace</c> at <c>/api/workspaces/NAME</c>. A key limited to one
/// workspace sees only that one.
/// </summary>
internal static class WorkspaceEndpoints
{
    public static void MapWorkspaceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ServedWorkspace.Routes, List).WithSummary("The workspaces this caller can reach, and where their routes start")
            .Requires(ApiPermission.Read).InEveryWorkspace();
    }

    private static IResult List(HttpContext context, WorkspaceFolders folders)
    {
        var only = ApiCaller.Of(context)?.Workspace;
        var all = folders.Folders.Select(f => ServedWorkspace.Named(f.Name)).Prepend(ServedWorkspace.Default);
        return Results.Ok(new { Items = all.Where(w => w.Admits(only)).Select(w => new { w.Name, Api = w.ApiBase }) });
    }
}

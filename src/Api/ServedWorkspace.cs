namespace Duraflow.Api;

/// <summary>
/// The workspace an API's services serve: the default one (the project of <c>Duraflow:Project</c>, at today's routes
/// under <c>/api</c>), or one of <c>duraflow serve --workspace NAME=FOLDER</c>, at <c>/api/workspaces/NAME</c>. Each
/// workspace has services of its own (its project, store, workers and triggers), and this names them.
/// </summary>
/// <param name="Name">The workspace's name: <see cref="DefaultName"/>, or a name <see cref="WorkspaceNames.Problem"/> accepts.</param>
/// <param name="ApiBase">Where its routes start: <c>/api</c> for the default workspace.</param>
internal sealed record ServedWorkspace(string Name, string ApiBase)
{
    /// <summary>The name of the workspace served at <c>/api</c>; a key made with <c>--workspace default</c> reaches only it.</summary>
    public const string DefaultName = "default";

    /// <summary>Where every workspace's routes start but the default one's.</summary>
    public const string Routes = "/api/workspaces";

    /// <summary>The default workspace.</summary>
    public static readonly ServedWorkspace Default = new(DefaultName, "/api");

    /// <summary>A workspace served beside the default one.</summary>
    public static ServedWorkspace Named(string name) => new(name, $"{Routes}/{name}");

    /// <summary>True when a caller limited to <paramref name="only"/> (null: not limited) may reach this workspace.</summary>
    public bool Admits(string? only) => only is null || string.Equals(only, Name, StringComparison.Ordinal);

    /// <summary>
    /// 404 for a workspace that is not served, or that the caller may not reach: the same answer, so a key limited to
    /// one workspace cannot learn which others exist.
    /// </summary>
    public static IResult NotFound(string name) =>
        Results.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Workspace not found",
            detail: $"no workspace named '{PrintableText.Of(name)}'; GET {Routes} lists the ones you can reach");
}

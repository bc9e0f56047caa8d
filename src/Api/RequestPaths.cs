namespace Duraflow.Api;

/// <summary>
/// The path a caller asked for, for messages: inside a workspace the API sees <c>/api/…</c> (its routes are the
/// default workspace's), but the caller sent <c>/api/workspaces/NAME/…</c>, and an error must name what was sent.
/// </summary>
internal static class RequestPaths
{
    public static string Shown(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? "/";
        return context.RequestServices.GetService<ServedWorkspace>() is { } workspace && workspace != ServedWorkspace.Default
            && path.StartsWith(ServedWorkspace.Default.ApiBase, StringComparison.Ordinal)
            ? workspace.ApiBase + path[ServedWorkspace.Default.ApiBase.Length..]
            : path;
    }
}

namespace Duraflow.Api.Http;

/// <summary>Where a run is found, for <c>Location</c> headers and response bodies: under its workspace's routes.</summary>
internal static class RunLinks
{
    /// <summary>The run's route under <paramref name="apiBase"/> (<see cref="ServedWorkspace.ApiBase"/>).</summary>
    public static string Of(string apiBase, string runId) => $"{apiBase}/runs/{Uri.EscapeDataString(runId)}";

    /// <summary>The run's route in the workspace that serves <paramref name="context"/>.</summary>
    public static string Of(HttpContext context, string runId) => Of(BaseOf(context), runId);

    /// <summary>Where the routes of the workspace that serves <paramref name="context"/> start.</summary>
    public static string BaseOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<ServedWorkspace>().ApiBase;
    }
}

namespace Duraflow.Api.Http;

/// <summary>Where a run is found, for <c>Location</c> headers and response bodies.</summary>
internal static class RunLinks
{
    public static string Of(string runId) => $"/api/runs/{Uri.EscapeDataString(runId)}";
}

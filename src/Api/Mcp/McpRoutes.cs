using ModelContextProtocol;

namespace Duraflow.Api.Mcp;

/// <summary>How a tool or resource names the API route it calls: under its workspace, each argument one path segment.</summary>
internal static class McpRoutes
{
    /// <summary>Where the routes of <paramref name="workspace"/> start (the default workspace's without one).</summary>
    public static string ApiBase(string? workspace) =>
        workspace is null or "" or ServedWorkspace.DefaultName ? ServedWorkspace.Default.ApiBase : $"{ServedWorkspace.Routes}/{Segment(workspace)}";

    /// <summary>An argument as one path segment; an empty one is refused, since routing would read past it.</summary>
    public static string Segment(string? value) =>
        value is { Length: > 0 } given ? Uri.EscapeDataString(given) : throw new McpException("a required argument is missing or empty");
}

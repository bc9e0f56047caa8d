using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Duraflow.Tests.Mcp;

/// <summary>Calls Duraflow's MCP tools as an assistant does and reads their answers, for the tests of both transports.</summary>
internal static class McpCalls
{
    /// <summary>Connects to <c>/mcp</c> of the server <paramref name="http"/> reaches, presenting <paramref name="key"/>; the client owns <paramref name="http"/>.</summary>
    public static async Task<McpClient> ConnectOverHttpAsync(HttpClient http, string key)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(http.BaseAddress!, "/mcp"),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["X-Api-Key"] = key },
            },
            http,
            ownsHttpClient: true);
        return await McpClient.CreateAsync(transport);
    }

    /// <summary>Calls <paramref name="tool"/>, asserts it succeeded and returns its structured answer.</summary>
    public static async Task<JsonElement> CallAsync(McpClient client, string tool, object arguments, CancellationToken cancellationToken = default)
    {
        var result = await client.CallToolAsync(tool, Arguments(arguments), cancellationToken: cancellationToken);
        Assert.False(result.IsError == true, $"{tool}: {Text(result)}");

        // A tool's JSON answer is its structured content, which the SDK may wrap as {"result": …}.
        var structured = result.StructuredContent ?? JsonDocument.Parse(Text(result)).RootElement;
        return structured.ValueKind == JsonValueKind.Object && structured.EnumerateObject().Count() == 1 && structured.TryGetProperty("result", out var wrapped) ? wrapped : structured;
    }

    /// <summary>Calls <paramref name="tool"/> and returns what it answered, error or not.</summary>
    public static Task<CallToolResult> TryCallAsync(McpClient client, string tool, object arguments, CancellationToken cancellationToken = default) =>
        client.CallToolAsync(tool, Arguments(arguments), cancellationToken: cancellationToken).AsTask();

    /// <summary>The text of a tool's answer: an error's message.</summary>
    public static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private static Dictionary<string, object?> Arguments(object arguments) =>
        JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Duraflow.Functions.Tests;

/// <summary>
/// Invocation bodies as the Functions host builds them for a custom handler (docs/triggers.md, "How Azure invokes
/// us"): Data holds the trigger value under the binding's name, with strings serialized once more (so JSON-quoted);
/// Metadata holds the trigger metadata minus the *Trigger keys, plus sys.
/// </summary>
internal static class HandlerInvocations
{
    /// <summary>A queue trigger invocation of a message with the given text (already base64-decoded by the host).</summary>
    public static JsonObject Queue(string messageText, string id, string popReceipt, long dequeueCount, DateTimeOffset insertedAt) => new()
    {
        ["Data"] = new JsonObject { ["message"] = JsonSerializer.Serialize(messageText) },
        ["Metadata"] = new JsonObject
        {
            ["DequeueCount"] = dequeueCount,
            ["ExpirationTime"] = "9999-12-31T23:59:59+00:00",
            ["Id"] = JsonSerializer.Serialize(id),
            ["InsertionTime"] = insertedAt.ToString("O"),
            ["NextVisibleTime"] = DateTimeOffset.UtcNow.AddMinutes(10).ToString("O"),
            ["PopReceipt"] = JsonSerializer.Serialize(popReceipt),
            ["sys"] = Sys("message"),
        },
    };

    /// <summary>A timer trigger invocation.</summary>
    public static JsonObject Timer(bool isPastDue) => new()
    {
        ["Data"] = new JsonObject
        {
            ["timer"] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JsonObject
                {
                    ["Last"] = "2026-11-24T10:00:00+00:00",
                    ["Next"] = "2026-11-24T10:01:00+00:00",
                    ["LastUpdated"] = "2026-11-24T10:00:00+00:00",
                },
                ["IsPastDue"] = isPastDue,
            },
        },
        ["Metadata"] = new JsonObject { ["sys"] = Sys("schedule") },
    };

    /// <summary>POSTs <paramref name="body"/> to <c>/{function}</c> with the host's headers.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string function, JsonNode body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/" + function, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.0.0");
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1040.0.0");
        return await client.SendAsync(request);
    }

    /// <summary>The reply's Logs, after checking it has the shape the host reads.</summary>
    public static async Task<List<string>> LogsAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("ReturnValue").ValueKind);
        return [.. body.RootElement.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()!)];
    }

    private static JsonObject Sys(string function) => new()
    {
        ["MethodName"] = function,
        ["UtcNow"] = DateTimeOffset.UtcNow.ToString("O"),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };
}

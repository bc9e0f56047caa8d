using System.Text.Json;
using Duraflow.Engine.Triggers.BlobEvents;

namespace Duraflow.Api.Triggers;

/// <summary>
/// A direct Event Grid webhook as a pure function, for the local server (in Azure, events come through a Storage Queue
/// and need no handshake). It answers both validation handshakes and reads deliveries in either schema; the bodies are
/// read by the engine's <see cref="BlobEventParser"/>, which uses the Azure SDK.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Event Grid schema: a POST with <c>aeg-event-type: SubscriptionValidation</c> (or a body holding a
/// <c>Microsoft.EventGrid.SubscriptionValidationEvent</c>) is answered 200 <c>{"validationResponse": code}</c>.</item>
/// <item>CloudEvents: an OPTIONS request with <c>WebHook-Request-Origin</c> is answered 200 with
/// <c>WebHook-Allowed-Origin</c> echoing it and <c>WebHook-Allowed-Rate: *</c>.</item>
/// <item>A delivery (POST) is answered 200 with its events in <see cref="WebhookResponse.Events"/>; the host starts
/// runs for them and answers 500 instead if that fails, so Event Grid redelivers. A malformed body is answered 400
/// problem+json, which Event Grid never retries.</item>
/// </list>
/// </remarks>
internal static class EventGridWebhook
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>Handles one request to the webhook.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="headers">The request headers; names are matched case-insensitively.</param>
    /// <param name="body">The request body; empty for OPTIONS.</param>
    /// <returns>The response to send and the events to dispatch.</returns>
    public static WebhookResponse Handle(string method, IReadOnlyDictionary<string, string> headers, string? body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(headers);
        var header = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        if (HttpMethodIs(method, "OPTIONS"))
        {
            return header.TryGetValue("WebHook-Request-Origin", out var origin) && !string.IsNullOrWhiteSpace(origin)
                ? new WebhookResponse(200, new Dictionary<string, string>
                {
                    ["WebHook-Allowed-Origin"] = origin.Trim(),
                    ["WebHook-Allowed-Rate"] = "*",
                    ["Allow"] = "POST, OPTIONS",
                }, null, [])
                : Problem(400, "Missing WebHook-Request-Origin", "An OPTIONS request to this endpoint is a CloudEvents abuse-protection handshake and must carry the WebHook-Request-Origin header.");
        }

        if (!HttpMethodIs(method, "POST"))
        {
            var refused = Problem(405, "Method not allowed", $"This endpoint accepts POST (deliveries, Event Grid validation) and OPTIONS (CloudEvents validation), not {method}.");
            return refused with { Headers = new Dictionary<string, string>(refused.Headers) { ["Allow"] = "POST, OPTIONS" } };
        }

        header.TryGetValue("aeg-event-type", out var eventType);
        if (string.Equals(eventType, "Unsubscribe", StringComparison.OrdinalIgnoreCase))
        {
            return new WebhookResponse(200, new Dictionary<string, string>(), null, []);
        }

        try
        {
            var root = BlobEventParser.ReadBody(body ?? string.Empty);
            var validating = string.Equals(eventType, "SubscriptionValidation", StringComparison.OrdinalIgnoreCase);
            if (BlobEventParser.FindValidationCode(root, validating) is { } code)
            {
                return new WebhookResponse(
                    200,
                    new Dictionary<string, string> { ["Content-Type"] = "application/json" },
                    JsonSerializer.Serialize(new Dictionary<string, string> { ["validationResponse"] = code }),
                    []);
            }

            return new WebhookResponse(200, new Dictionary<string, string>(), null, BlobEventParser.ReadEvents(root));
        }
        catch (BlobEventFormatException e)
        {
            return Problem(400, "Malformed event delivery", e.Message);
        }
    }

    private static bool HttpMethodIs(string method, string expected) => string.Equals(method, expected, StringComparison.OrdinalIgnoreCase);

    private static WebhookResponse Problem(int status, string title, string detail) => new(
        status,
        new Dictionary<string, string> { ["Content-Type"] = ProblemJson },
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["type"] = "about:blank",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        }),
        []);
}

using Duraflow.Tests;
using System.Text.Json;
using Duraflow.Api.Triggers;

namespace Duraflow.Api.Tests;

public sealed class EventGridWebhookTests
{
    private static readonly Dictionary<string, string> Notification = new() { ["aeg-event-type"] = "Notification" };

    [Fact]
    public void Handle_EventGridSubscriptionValidation_EchoesTheCode()
    {
        var response = EventGridWebhook.Handle("POST", new Dictionary<string, string> { ["Aeg-Event-Type"] = "SubscriptionValidation" }, Payloads.SubscriptionValidation("code-123"));

        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.Headers["Content-Type"]);
        using var body = JsonDocument.Parse(response.Body!);
        Assert.Equal("code-123", body.RootElement.GetProperty("validationResponse").GetString());
        Assert.Empty(response.Events);
    }

    [Fact]
    public void Handle_ValidationEventWithoutHeader_IsStillAnswered()
    {
        var response = EventGridWebhook.Handle("post", new Dictionary<string, string>(), Payloads.SubscriptionValidation("code-456"));

        Assert.Equal(200, response.Status);
        Assert.Contains("\"validationResponse\":\"code-456\"", response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Handle_ValidationEventWithoutCode_IsBadRequest(bool header)
    {
        var body = Payloads.SubscriptionValidation().Replace("\"validationCode\": \"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\",", "", StringComparison.Ordinal);

        var response = EventGridWebhook.Handle("POST", header ? new Dictionary<string, string> { ["aeg-event-type"] = "SubscriptionValidation" } : [], body);

        Assert.Equal(400, response.Status);
        Assert.Contains("$[0].data.validationCode", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_ValidationHeaderWithAnIncompleteEvent_IsBadRequestNamingAMissingField()
    {
        // The SDK reads the whole envelope, so a handshake missing id, subject or dataVersion is refused before its code is looked at.
        var response = EventGridWebhook.Handle("POST", new Dictionary<string, string> { ["aeg-event-type"] = "SubscriptionValidation" }, "[{\"eventType\":\"Microsoft.EventGrid.SubscriptionValidationEvent\",\"data\":{}}]");

        Assert.Equal(400, response.Status);
        using var problem = JsonDocument.Parse(response.Body!);
        Assert.Matches(@"^\$\[0\]\.(id|subject|dataVersion): missing$", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public void Handle_ValidationHeaderWithACloudEvent_IsBadRequest()
    {
        var response = EventGridWebhook.Handle("POST", new Dictionary<string, string> { ["aeg-event-type"] = "SubscriptionValidation" }, Payloads.Array(Payloads.CloudEvent()));

        Assert.Equal(400, response.Status);
        Assert.Contains("$[0].data.validationCode", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_CloudEventsAbuseProtectionOptions_AllowsTheOrigin()
    {
        var response = EventGridWebhook.Handle("OPTIONS", new Dictionary<string, string> { ["webhook-request-origin"] = "eventgrid.azure.net" }, null);

        Assert.Equal(200, response.Status);
        Assert.Equal("eventgrid.azure.net", response.Headers["WebHook-Allowed-Origin"]);
        Assert.Equal("*", response.Headers["WebHook-Allowed-Rate"]);
        Assert.Null(response.Body);
        Assert.Empty(response.Events);
    }

    [Fact]
    public void Handle_OptionsWithoutOrigin_IsBadRequest()
    {
        var response = EventGridWebhook.Handle("OPTIONS", new Dictionary<string, string>(), null);

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.Headers["Content-Type"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Handle_Delivery_ReturnsTheEventsWith200(bool cloudEvents)
    {
        var body = cloudEvents ? Payloads.Array(Payloads.CloudEvent(id: "c1")) : Payloads.Array(Payloads.EventGrid(id: "e1"), Payloads.EventGrid(id: "e2", name: "orders/b.csv"));

        var response = EventGridWebhook.Handle("POST", cloudEvents ? new Dictionary<string, string>() : Notification, body);

        Assert.Equal(200, response.Status);
        Assert.Equal(cloudEvents ? ["c1"] : ["e1", "e2"], response.Events.Select(e => e.Id));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("[{\"eventType\":\"Microsoft.Storage.BlobCreated\",\"id\":\"x\",\"subject\":\"/blobServices/default/containers/c/blobs/b\"}]")]
    public void Handle_MalformedDelivery_IsProblem400WithNoEvents(string body)
    {
        var response = EventGridWebhook.Handle("POST", Notification, body);

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.Headers["Content-Type"]);
        Assert.Empty(response.Events);
        using var problem = JsonDocument.Parse(response.Body!);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.StartsWith("$", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_OtherMethod_Is405WithAllow()
    {
        var response = EventGridWebhook.Handle("GET", new Dictionary<string, string>(), null);

        Assert.Equal(405, response.Status);
        Assert.Equal("POST, OPTIONS", response.Headers["Allow"]);
    }
}

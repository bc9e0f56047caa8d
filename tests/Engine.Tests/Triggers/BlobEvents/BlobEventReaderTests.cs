using System.Text.Json;
using Duraflow.Engine.Triggers.BlobEvents;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Triggers.BlobEvents;

/// <summary>
/// Inputs the Azure SDK reads differently from the hand-written parser it replaced: each is a located error or is
/// ignored, as the nearest input was before.
/// </summary>
public sealed class BlobEventReaderTests
{
    [Theory]
    [InlineData("\"data\": \"text\", \"was\": {", "$.data: expected the blob's details as an object, found a string")]
    [InlineData("\"data\": [1], \"was\": {", "$.data: expected the blob's details as an object, found an array")]
    [InlineData("\"data\": null, \"was\": {", "$.data: expected the blob's details as an object, found null")]
    [InlineData("\"was\": {", "$.data: missing")]
    public void Parse_EventGridDataThatIsNoObject_NamesData(string replacement, string expected)
    {
        var body = Payloads.EventGrid().Replace("\"data\": {", replacement, StringComparison.Ordinal);

        var error = Assert.Throws<BlobEventFormatException>(() => BlobEventParser.Parse(body));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("\"data\": \"text\", \"was\": {", "$.data: expected the blob's details as an object, found a string")]
    [InlineData("\"data\": null, \"was\": {", "$.data: expected the blob's details as an object, found null")]
    [InlineData("\"data_base64\": \"aGVsbG8=\", \"was\": {", "$.data: expected the blob's details as JSON, found bytes that are not")]
    public void Parse_CloudEventDataThatIsNoObject_NamesData(string replacement, string expected)
    {
        var body = Payloads.CloudEvent().Replace("\"data\": {", replacement, StringComparison.Ordinal);

        var error = Assert.Throws<BlobEventFormatException>(() => BlobEventParser.Parse(body));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Parse_CloudEventWithNoDataAttributeAtAll_NamesData()
    {
        using var document = JsonDocument.Parse(Payloads.CloudEvent());
        var withoutData = document.RootElement.EnumerateObject().Where(p => p.Name != "data").ToDictionary(p => p.Name, p => p.Value);

        var error = Assert.Throws<BlobEventFormatException>(() => BlobEventParser.Parse(JsonSerializer.Serialize(withoutData)));

        Assert.Equal("$.data: expected the blob's details as an object, found no data", error.Message);
    }

    [Fact]
    public void Parse_UnknownEventTypes_AreIgnoredWhateverTheirData()
    {
        var body = Payloads.Array(
            Payloads.EventGrid(id: "a", eventType: "Contoso.Orders.Shipped").Replace("\"data\": {", "\"data\": 42, \"was\": {", StringComparison.Ordinal),
            Payloads.CloudEvent(id: "b", type: "Microsoft.Storage.BlobRenamed"),
            Payloads.EventGrid(id: "c"));

        Assert.Equal(["c"], BlobEventParser.Parse(body).Select(e => e.Id));
    }

    [Theory]
    [InlineData("\"id\": \"831e1650-001e-001b-66ab-eeb76e069631\"", "\"id\": 7", "$.id: expected a string, found a number")]
    [InlineData("\"id\": \"831e1650-001e-001b-66ab-eeb76e069631\"", "\"id\": \"\"", "$.id: expected a non-empty string, found an empty one")]
    [InlineData("\"eventType\": \"Microsoft.Storage.BlobCreated\"", "\"eventType\": true", "$.eventType: expected a string, found a boolean")]
    [InlineData("\"eventTime\": \"2026-11-24T06:01:02.1234567Z\"", "\"eventTime\": null", "$.eventTime: expected an RFC 3339 date-time, found null")]
    [InlineData("\"eventTime\": \"2026-11-24T06:01:02.1234567Z\"", "\"eventTime\": 20261124", "$.eventTime: expected an RFC 3339 date-time, found a number")]
    [InlineData("\"dataVersion\": \"\",", "", "$.dataVersion: missing")]
    [InlineData("\"subject\": \"/blobServices/default/containers/landing/blobs/orders/2026-11-24.csv\",", "", "$.subject: missing")]
    [InlineData("\"contentLength\": 524288", "\"contentLength\": 1.5", "$.data.contentLength: expected a whole number, found a number")]
    [InlineData("\"eTag\": \"\\\"0x8D4BCC2E4835CD0\\\"\"", "\"eTag\": {}", "$.data.eTag: expected a string, found an object")]
    public void Parse_EventGridFieldTheSdkRefuses_NamesTheField(string field, string replacement, string expected)
    {
        var broken = Payloads.EventGrid().Replace(field, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Payloads.EventGrid(), broken);

        var error = Assert.Throws<BlobEventFormatException>(() => BlobEventParser.Parse(broken));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"id\": \"9aeb0fdf-c01e-0131-0922-9eb54906e209\",", "", "$.id: missing")]
    [InlineData("\"type\": \"Microsoft.Storage.BlobCreated\",", "", "$.type: missing")]
    [InlineData("\"time\": \"2026-11-24T06:01:02.1234567Z\"", "\"time\": \"yesterday\"", "$.time: expected an RFC 3339 date-time, found 'yesterday'")]
    [InlineData("\"source\": \"/subscriptions", "\"source\": 5, \"was\": \"", "$.source: expected a string, found a number")]
    public void Parse_CloudEventAttributeTheSdkRefuses_NamesTheAttribute(string field, string replacement, string expected)
    {
        var broken = Payloads.CloudEvent().Replace(field, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Payloads.CloudEvent(), broken);

        var error = Assert.Throws<BlobEventFormatException>(() => BlobEventParser.Parse(broken));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CloudEventExtensionAttributesTheSdkWouldValidate_AreIgnored()
    {
        var body = Payloads.CloudEvent().Replace("\"specversion\": \"1.0\",", "\"specversion\": \"1.0\", \"Traceparent\": \"x\", \"routing\": {\"zone\": 1},", StringComparison.Ordinal);

        Assert.Equal("landing", Assert.Single(BlobEventParser.Parse(body)).Container);
    }

    [Fact]
    public void Parse_EventWithoutTime_HasNoEventTimeRatherThanTheReadingTime()
    {
        var cloud = Payloads.CloudEvent().Replace("\"time\": \"2026-11-24T06:01:02.1234567Z\",", "", StringComparison.Ordinal);
        var grid = Payloads.EventGrid().Replace("\"eventTime\": \"2026-11-24T06:01:02.1234567Z\",", "", StringComparison.Ordinal);

        Assert.Null(Assert.Single(BlobEventParser.Parse(cloud)).EventTime);
        Assert.Null(Assert.Single(BlobEventParser.Parse(grid)).EventTime);
    }

    [Fact]
    public void Parse_EventTimeWithAnOffset_IsTheSameInstantInUtc()
    {
        var body = Payloads.EventGrid().Replace("2026-11-24T06:01:02.1234567Z", "2026-11-24T07:01:02+01:00", StringComparison.Ordinal);

        var time = Assert.Single(BlobEventParser.Parse(body)).EventTime!.Value;

        Assert.Equal((new DateTimeOffset(2026, 11, 24, 6, 1, 2, TimeSpan.Zero), TimeSpan.Zero), (time, time.Offset));
    }

    [Fact]
    public void Parse_BodyNestedDeeperThanJsonAllows_IsALocatedErrorNotACrash()
    {
        var deep = new string('[', 200) + new string(']', 200);
        var body = Payloads.EventGrid().Replace("\"api\":", $"\"deep\": {deep}, \"api\":", StringComparison.Ordinal);

        var error = Assert.Throws<BlobEventFormatException>(() => BlobEventParser.Parse(Payloads.Base64(body)));

        Assert.StartsWith("$: the base64-decoded body is not valid JSON: The maximum configured depth of 64 has been exceeded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LargeBatchWithLargeUnknownFields_IsReadInOrder()
    {
        var padding = new string('x', 256 * 1024);
        var events = Enumerable.Range(0, 2000)
            .Select(i => i % 500 == 0
                ? Payloads.CloudEvent(id: $"e{i}", name: $"orders/{i}.csv").Replace("\"api\":", $"\"padding\": \"{padding}\", \"api\":", StringComparison.Ordinal)
                : Payloads.EventGrid(id: $"e{i}", name: $"orders/{i}.csv"))
            .ToArray();

        var read = BlobEventParser.Parse(Payloads.Array(events));

        Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"e{i}"), read.Select(e => e.Id));
        Assert.Equal("orders/1999.csv", read[^1].Name);
    }

    [Fact]
    public void FindValidationCode_ValidationEventWithoutCode_NamesTheCode()
    {
        using var noCode = JsonDocument.Parse(Payloads.SubscriptionValidation().Replace("\"validationCode\": \"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\",", "", StringComparison.Ordinal));
        using var numberCode = JsonDocument.Parse(Payloads.SubscriptionValidation().Replace("\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\"", "42", StringComparison.Ordinal));

        foreach (var body in new[] { noCode, numberCode })
        {
            var error = Assert.Throws<BlobEventFormatException>(() => BlobEventParser.FindValidationCode(body.RootElement, validating: false));
            Assert.Equal("$[0].data.validationCode: a subscription validation event must carry a non-empty validation code", error.Message);
        }
    }

    [Fact]
    public void FindValidationCode_DeliveryOrCloudEvent_IsNullAndAHandshakeItsCode()
    {
        using var delivery = JsonDocument.Parse(Payloads.Array(Payloads.EventGrid()));
        using var cloud = JsonDocument.Parse(Payloads.CloudEvent());
        using var handshake = JsonDocument.Parse(Payloads.SubscriptionValidation());

        Assert.Null(BlobEventParser.FindValidationCode(delivery.RootElement, validating: false));
        Assert.Null(BlobEventParser.FindValidationCode(cloud.RootElement, validating: false));
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", BlobEventParser.FindValidationCode(handshake.RootElement, validating: false));
    }
}

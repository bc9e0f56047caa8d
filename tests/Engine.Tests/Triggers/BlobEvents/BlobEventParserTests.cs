using Duraflow.Tests;
using System.Text.Json;
using Duraflow.Engine.Triggers.BlobEvents;

namespace Duraflow.Engine.Tests.Triggers.BlobEvents;

public sealed class BlobEventParserTests
{
    public static TheoryData<string, string> Bodies => new()
    {
        { "event grid, raw", Payloads.EventGrid() },
        { "event grid, base64", Payloads.Base64(Payloads.EventGrid()) },
        { "event grid, array", Payloads.Array(Payloads.EventGrid()) },
        { "event grid, base64 array", Payloads.Base64(Payloads.Array(Payloads.EventGrid())) },
        { "event grid, JSON-quoted by the host", JsonSerializer.Serialize(Payloads.EventGrid()) },
        { "event grid, base64 JSON-quoted", JsonSerializer.Serialize(Payloads.Base64(Payloads.EventGrid())) },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Parse_EventGridBlobCreated_ReadsEveryField(string shape, string body)
    {
        var e = Assert.Single(BlobEventParser.Parse(body));

        Assert.True(e.Id == "831e1650-001e-001b-66ab-eeb76e069631", shape);
        Assert.Equal("stlanding", e.Account);
        Assert.Equal("landing", e.Container);
        Assert.Equal("orders/2026-11-24.csv", e.Name);
        Assert.Equal("https://stlanding.blob.core.windows.net/landing/orders/2026-11-24.csv", e.Url);
        Assert.Equal("text/csv", e.ContentType);
        Assert.Equal(524288, e.Size);
        Assert.Equal("\"0x8D4BCC2E4835CD0\"", e.ETag);
        Assert.Equal("00000000000004420000000000028963", e.Sequencer);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 6, 1, 2, TimeSpan.Zero).AddTicks(1234567), e.EventTime);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parse_CloudEventBlobCreated_ReadsEveryField(bool base64)
    {
        var body = base64 ? Payloads.Base64(Payloads.CloudEvent()) : Payloads.CloudEvent();

        var e = Assert.Single(BlobEventParser.Parse(body));

        Assert.Equal("9aeb0fdf-c01e-0131-0922-9eb54906e209", e.Id);
        Assert.Equal("stlanding", e.Account);
        Assert.Equal(("landing", "orders/2026-11-24.csv"), (e.Container, e.Name));
        Assert.Equal(30699, e.Size);
        Assert.Equal("0x8D76C39E4407333", e.ETag);
        Assert.Equal("000000000000000000000000000099240000000000c41c18", e.Sequencer);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 6, 1, 2, TimeSpan.Zero).AddTicks(1234567), e.EventTime);
    }

    [Fact]
    public void Parse_JsonElementFromInvocationData_AcceptsObjectsAndStrings()
    {
        using var asObject = JsonDocument.Parse(Payloads.EventGrid());
        using var asString = JsonDocument.Parse(JsonSerializer.Serialize(Payloads.Base64(Payloads.CloudEvent())));

        Assert.Equal("landing", Assert.Single(BlobEventParser.Parse(asObject.RootElement)).Container);
        Assert.Equal("landing", Assert.Single(BlobEventParser.Parse(asString.RootElement)).Container);
    }

    [Fact]
    public void Parse_JsonElementThatIsNoEvent_SaysWhatItFound()
    {
        using var number = JsonDocument.Parse("42");

        var error = Assert.Throws<BlobEventFormatException>(() => BlobEventParser.Parse(number.RootElement));

        Assert.Equal("$: expected an event object or an array of events, found a number", error.Message);
    }

    [Fact]
    public void Parse_OtherEventTypes_AreSkippedNotErrors()
    {
        var body = Payloads.Array(
            Payloads.EventGrid(id: "a", eventType: "Microsoft.Storage.BlobDeleted"),
            Payloads.CloudEvent(id: "b", type: "Microsoft.Storage.BlobTierChanged"),
            Payloads.EventGrid(id: "c"));

        Assert.Equal(["c"], BlobEventParser.Parse(body).Select(e => e.Id));
        Assert.Empty(BlobEventParser.Parse(Payloads.SubscriptionValidation()));
    }

    [Fact]
    public void Parse_EncodedBlobName_IsDecoded()
    {
        var e = Assert.Single(BlobEventParser.Parse(Payloads.EventGrid(name: "orders/new%20file%C3%A9.csv")));

        Assert.Equal("orders/new fileé.csv", e.Name);
    }

    [Fact]
    public void Parse_AzuriteUrlWithoutTopic_TakesAccountFromPath()
    {
        var body = Payloads.EventGrid().Replace($"\"topic\": \"{Payloads.Topic}\",", "", StringComparison.Ordinal)
            .Replace("https://stlanding.blob.core.windows.net/", "http://127.0.0.1:10000/devstoreaccount1/", StringComparison.Ordinal);

        Assert.Equal("devstoreaccount1", Assert.Single(BlobEventParser.Parse(body)).Account);
    }

    [Theory]
    [InlineData("", "$: the body is empty")]
    [InlineData("   ", "$: the body is empty")]
    [InlineData("{\"id\": ", "$: the body is not valid JSON")]
    [InlineData("not an event at all!", "$: the body is neither JSON nor base64-encoded JSON")]
    [InlineData("aGVsbG8gd29ybGQ=", "$: the body is base64 but what it decodes to is not JSON")]
    [InlineData("42", "$: the body is neither JSON nor base64-encoded JSON (it starts with '42')")]
    [InlineData("[1]", "$[0]: expected an event object, found a number")]
    [InlineData("{\"id\": \"x\"}", "$: neither an Event Grid event (no eventType) nor a CloudEvent (no specversion)")]
    public void Parse_MalformedBody_SaysWhatAndWhere(string body, string expected)
    {
        var error = Assert.Throws<BlobEventFormatException>(() => BlobEventParser.Parse(body));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"id\": \"831e1650-001e-001b-66ab-eeb76e069631\",", "", "$[1].id: missing")]
    [InlineData("\"subject\": \"/blobServices/default/containers/landing/blobs/orders/2026-11-24.csv\"", "\"subject\": \"/containers/landing\"", "$[1].subject: expected /blobServices/default/containers/CONTAINER/blobs/NAME")]
    [InlineData("\"url\": \"https://stlanding.blob.core.windows.net/landing/orders/2026-11-24.csv\"", "\"url\": 7", "$[1].data.url: expected a string, found a number")]
    [InlineData("\"url\": \"https://stlanding.blob.core.windows.net/landing/orders/2026-11-24.csv\"", "\"url\": \"landing/x.csv\"", "$[1].data.url: expected an absolute URL")]
    [InlineData("\"contentLength\": 524288", "\"contentLength\": \"big\"", "$[1].data.contentLength: expected a whole number, found 'big'")]
    [InlineData("\"contentLength\": 524288", "\"contentLength\": -1", "$[1].data.contentLength: expected a byte count, found -1")]
    [InlineData("\"eventTime\": \"2026-11-24T06:01:02.1234567Z\"", "\"eventTime\": \"yesterday\"", "$[1].eventTime: expected an RFC 3339 date-time")]
    public void Parse_BlobCreatedMissingOrBadField_NamesItsPath(string field, string replacement, string expected)
    {
        var broken = Payloads.EventGrid().Replace(field, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Payloads.EventGrid(), broken);

        var error = Assert.Throws<BlobEventFormatException>(() => BlobEventParser.Parse(Payloads.Array(Payloads.EventGrid(id: "ok"), broken)));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CloudEventWithoutData_NamesDataPath()
    {
        var body = Payloads.CloudEvent().Replace("\"data\":", "\"other\":", StringComparison.Ordinal);

        var error = Assert.Throws<BlobEventFormatException>(() => BlobEventParser.Parse(body));

        Assert.StartsWith("$.data: expected the blob's details as an object, found no data", error.Message, StringComparison.Ordinal);
    }
}

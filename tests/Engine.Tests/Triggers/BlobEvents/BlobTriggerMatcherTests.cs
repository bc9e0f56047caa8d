using Duraflow.Engine.Triggers.BlobEvents;

namespace Duraflow.Engine.Tests.Triggers.BlobEvents;

public sealed class BlobTriggerMatcherTests
{
    private static BlobCreatedEvent Event(string container, string name, string? account = "stlanding") =>
        new("id", account, container, name, $"https://{account}.blob.core.windows.net/{container}/{name}", null, null, null, null, null);

    [Theory]
    [InlineData("landing", "orders/2026-11-24.csv", true)]
    [InlineData("landing", "orders/deep/x.csv", true)]
    [InlineData("landing", "orders/2026-11-24.CSV", false)]
    [InlineData("landing", "returns/2026-11-24.csv", false)]
    [InlineData("landing", "orders/2026-11-24.json", false)]
    [InlineData("Landing", "orders/2026-11-24.csv", false)]
    [InlineData("archive", "orders/2026-11-24.csv", false)]
    public void Match_ContainerPrefixSuffix_AreExactAndCaseSensitive(string container, string name, bool expected)
    {
        using var project = new BlobProject(("orders", "{ container: landing, prefix: orders/, suffix: .csv }"));
        var matcher = new BlobTriggerMatcher(project.Pipelines);

        Assert.Equal(expected, matcher.Match(Event(container, name)).Count == 1);
    }

    [Fact]
    public void Match_TriggerWithoutFilters_TakesEveryBlobOfItsContainer()
    {
        using var project = new BlobProject(("everything", "{ container: landing }"), ("csv_only", "{ container: landing, suffix: .csv }"));
        var matcher = new BlobTriggerMatcher(project.Pipelines);

        Assert.Equal(["csv_only", "everything"], matcher.Match(Event("landing", "a.csv")).Select(m => m.Pipeline.Definition!.Name).Order());
        Assert.Equal(["everything"], matcher.Match(Event("landing", "a.json")).Select(m => m.Pipeline.Definition!.Name));
    }

    [Fact]
    public void Match_KnownConnectionAccount_MustEqualTheEventsAccount()
    {
        using var project = new BlobProject(("orders", "{ connection: lake, container: landing }"));
        var accounts = new Dictionary<string, string> { ["lake"] = "stlanding" };
        var matcher = new BlobTriggerMatcher(project.Pipelines, accounts);

        Assert.Single(matcher.Match(Event("landing", "a.csv", "stlanding")));
        Assert.Empty(matcher.Match(Event("landing", "a.csv", "stother")));
        // An event that does not say its account (the folder watcher) is not held against a known one.
        Assert.Single(matcher.Match(Event("landing", "a.csv", account: null)));
        // A connection whose account is unknown does not filter.
        Assert.Single(new BlobTriggerMatcher(project.Pipelines).Match(Event("landing", "a.csv", "stother")));
    }

    [Theory]
    [InlineData("AccountName=stlanding;AccountKey=abc==;EndpointSuffix=core.windows.net", null, "stlanding")]
    [InlineData("UseDevelopmentStorage=true", null, "devstoreaccount1")]
    [InlineData("DefaultEndpointsProtocol=http;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;", null, "devstoreaccount1")]
    [InlineData(null, "https://StLanding.blob.core.windows.net", "stlanding")]
    [InlineData(null, "https://files.example.com/", null)]
    [InlineData(null, null, null)]
    public void FromConnection_FindsTheAccountWhereItIsWritten(string? connectionString, string? accountUrl, string? expected)
    {
        Assert.Equal(expected, StorageAccountNames.FromConnection(connectionString, accountUrl));
    }
}

using Duraflow.Tests;
using Duraflow.Engine.Triggers.BlobEvents;

namespace Duraflow.Engine.Tests.Triggers.BlobEvents;

public sealed class BlobEventDispatcherTests
{
    [Fact]
    public async Task DispatchAsync_SameEventTwice_StartsOneRun()
    {
        using var project = new BlobProject(("orders", "{ container: landing, prefix: orders/ }"));
        var events = BlobEventParser.Parse(Payloads.EventGrid());

        var first = Assert.Single(await project.Dispatcher().DispatchAsync(events));
        // A second dispatcher stands for another process (or a restart) receiving the redelivered message.
        var second = Assert.Single(await project.Dispatcher().DispatchAsync(BlobEventParser.Parse(Payloads.Base64(Payloads.EventGrid()))));

        Assert.Equal((BlobDispatchOutcome.Started, "orders"), (first.Outcome, first.Pipeline));
        Assert.Equal(BlobDispatchOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.RunId, second.RunId);
        Assert.Equal(1, await project.RunCountAsync());
    }

    [Fact]
    public async Task DispatchAsync_OneEventTwoPipelines_StartsOneRunEach_WithKeysOfTheirOwn()
    {
        using var project = new BlobProject(("orders", "{ container: landing }"), ("audit", "{ container: landing, suffix: .csv }"));

        var results = await project.Dispatcher().DispatchAsync(BlobEventParser.Parse(Payloads.CloudEvent()));

        Assert.Equal(["audit", "orders"], results.Select(r => r.Pipeline).Order());
        Assert.All(results, r => Assert.Equal(BlobDispatchOutcome.Started, r.Outcome));
        Assert.NotEqual(results[0].RunId, results[1].RunId);
        Assert.Equal(2, await project.RunCountAsync());
    }

    [Fact]
    public async Task DispatchAsync_NonMatchingBlob_StartsNothing()
    {
        using var project = new BlobProject(("orders", "{ container: landing, prefix: orders/, suffix: .csv }"));

        var result = Assert.Single(await project.Dispatcher().DispatchAsync(BlobEventParser.Parse(Payloads.EventGrid(name: "orders/readme.md"))));

        Assert.Equal(BlobDispatchOutcome.NoMatch, result.Outcome);
        Assert.Null(result.RunId);
        Assert.Equal(0, await project.RunCountAsync());
    }

    [Fact]
    public async Task DispatchAsync_RunCarriesTheBlobAsTriggerValues()
    {
        using var project = new BlobProject(("orders", "{ container: landing }"));

        var result = Assert.Single(await project.Dispatcher().DispatchAsync(BlobEventParser.Parse(Payloads.EventGrid())));

        var state = (await project.Local.Committer.Store.GetRunAsync(result.RunId!, CancellationToken.None))!.State;
        Assert.Equal("blob", state.Trigger);
        var blob = state.TriggerValues["blob"];
        Assert.Equal("orders/2026-11-24.csv", blob.GetProperty("name").GetString());
        Assert.Equal("landing", blob.GetProperty("container").GetString());
        Assert.Equal("stlanding", blob.GetProperty("account").GetString());
        Assert.Equal(524288, blob.GetProperty("size").GetInt64());
        Assert.Equal("text/csv", blob.GetProperty("content_type").GetString());
        Assert.Equal("\"0x8D4BCC2E4835CD0\"", blob.GetProperty("etag").GetString());
        Assert.Equal("2026-11-24T06:01:02.1234567+00:00", blob.GetProperty("event_time").GetString());
        Assert.Equal("https://stlanding.blob.core.windows.net/landing/orders/2026-11-24.csv", blob.GetProperty("url").GetString());
    }

    [Fact]
    public void InBlobOrder_SortsEventsOfOneBlobBySequencer_KeepingBlobsInArrivalOrder()
    {
        var events = BlobEventParser.Parse(Payloads.Array(
            Payloads.EventGrid(id: "a-late", name: "a.csv", sequencer: "0000000000000002"),
            Payloads.EventGrid(id: "b-only", name: "b.csv", sequencer: "0000000000000009"),
            Payloads.EventGrid(id: "a-early", name: "a.csv", sequencer: "0000000000000001"),
            Payloads.EventGrid(id: "a-mid", name: "a.csv", sequencer: "00000000000000015")));

        Assert.Equal(["a-early", "a-mid", "a-late", "b-only"], BlobEventDispatcher.InBlobOrder(events).Select(e => e.Id));
    }

    [Fact]
    public async Task DispatchAsync_RequiredParameterWithoutDefault_IsRejectedNotStarted()
    {
        using var project = new BlobProject(("orders", "{ container: landing }"));
        var file = Path.Combine(project.Root, "pipelines", "orders", "pipeline.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("blocks:", "parameters:\n  day: { type: date, required: true }\nblocks:", StringComparison.Ordinal));
        var pipelines = Duraflow.Engine.Validation.ProjectValidator.Validate(project.Root).Pipelines;
        var dispatcher = new BlobEventDispatcher(project.Local.Starter, new BlobTriggerMatcher(pipelines));

        var result = Assert.Single(await dispatcher.DispatchAsync(BlobEventParser.Parse(Payloads.EventGrid())));

        Assert.Equal(BlobDispatchOutcome.Rejected, result.Outcome);
        Assert.Contains("day", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await project.RunCountAsync());
    }
}

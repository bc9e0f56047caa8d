using System.Net;
using System.Text;
using System.Text.Json;
using Duraflow.Api;
using Duraflow.Engine.Storage;
using Duraflow.Tests;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Functions.Tests;

/// <summary>
/// The schedule and blob-event functions wired to the engine: invocations shaped as the Functions host sends them
/// start the runs their pipelines' triggers ask for.
/// </summary>
public sealed class HandlerTriggerTests : IDisposable
{
    private readonly TempFolder _project = new();
    private readonly Clock _clock = new(new DateTimeOffset(2026, 11, 24, 6, 0, 30, TimeSpan.Zero));

    public HandlerTriggerTests()
    {
        _project.Write("pipelines/every_minute/pipeline.yaml",
            "name: every_minute\ntriggers:\n  - schedule: { cron: \"* * * * *\" }\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/every_minute/blocks/a.csx", "return 1;\n");
        _project.Write("pipelines/on_landing/pipeline.yaml",
            "name: on_landing\ntriggers:\n  - blob_created: { container: landing, suffix: .csv }\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/on_landing/blocks/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task The_timer_function_starts_a_due_schedule_once_per_tick()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await HandlerInvocations.PostAsync(client, "schedule", HandlerInvocations.Timer(false))).StatusCode);
        var firstSight = await RunsAsync(factory);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await HandlerInvocations.PostAsync(client, "schedule", HandlerInvocations.Timer(false))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HandlerInvocations.PostAsync(client, "schedule", HandlerInvocations.Timer(true))).StatusCode);

        Assert.Empty(firstSight);
        var run = Assert.Single(await RunsAsync(factory));
        Assert.Equal(("every_minute-20261124-060100-sched", "schedule"), (run.RunId, run.Trigger));
    }

    [Fact]
    public async Task The_blob_events_function_starts_the_matching_pipeline_once_per_event_with_the_blob_in_its_trigger_values()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();
        var message = Convert.ToBase64String(Encoding.UTF8.GetBytes(EventGridBlobCreated("evt-1", "landing", "in/orders.csv")));

        foreach (var _ in new[] { 1, 2 })
        {
            var response = await HandlerInvocations.PostAsync(client, "blobevents", QueueInvocation(message));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var other = await HandlerInvocations.PostAsync(client, "blobevents", QueueInvocation(EventGridBlobCreated("evt-2", "landing", "in/readme.txt")));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var run = Assert.Single(await RunsAsync(factory));
        Assert.Equal(("on_landing", "blob"), (run.Pipeline, run.Trigger));
        var local = await factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        var state = (await local.Committer.Store.GetRunAsync(run.RunId, CancellationToken.None))!.State;
        Assert.Equal("in/orders.csv", state.TriggerValues["blob"].GetProperty("name").GetString());
    }

    private static async Task<IReadOnlyList<RunSummary>> RunsAsync(WebApplicationFactory<Program> factory)
    {
        var local = await factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        return await local.Committer.Store.ListRunsAsync(new RunQuery(), CancellationToken.None);
    }

    private static System.Text.Json.Nodes.JsonObject QueueInvocation(string messageText) =>
        HandlerInvocations.Queue(messageText, Guid.NewGuid().ToString(), "receipt", 1, DateTimeOffset.UtcNow);

    private static string EventGridBlobCreated(string id, string container, string blob) => JsonSerializer.Serialize(new
    {
        id,
        topic = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/lake",
        subject = $"/blobServices/default/containers/{container}/blobs/{blob}",
        eventType = "Microsoft.Storage.BlobCreated",
        eventTime = "2026-11-24T06:00:00Z",
        data = new { api = "PutBlob", contentType = "text/csv", contentLength = 12, blobType = "BlockBlob", url = $"https://lake.blob.core.windows.net/{container}/{blob}", sequencer = "0001", eTag = "0x1" },
        dataVersion = "",
        metadataVersion = "1",
    });

    private WebApplicationFactory<Program> Factory() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _project.Root);
            b.UseSetting("Duraflow:LocalWorkers", "false");
            b.UseSetting("Duraflow:Schedules", "false");
            b.UseSetting("Duraflow:Auth:Disabled", "true");
            b.ConfigureServices(s => s.AddSingleton<TimeProvider>(_clock));
        });

    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

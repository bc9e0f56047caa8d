using System.Net;
using System.Text;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Tests;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests;

/// <summary>
/// The webhook and the local folder watcher, wired to the engine: deliveries and dropped files start the runs their
/// pipelines' triggers ask for.
/// </summary>
public sealed class TriggerWiringTests : IDisposable
{
    private readonly TempFolder _project = new();

    public TriggerWiringTests()
    {
        _project.Write("pipelines/on_landing/pipeline.yaml",
            "name: on_landing\ntriggers:\n  - blob_created: { container: landing, suffix: .csv }\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/on_landing/blocks/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task The_webhook_answers_both_handshakes_and_starts_runs_for_deliveries()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();

        using var validation = new HttpRequestMessage(HttpMethod.Post, "/api/events/blob")
        {
            Content = new StringContent(
                """[{"id":"v","topic":"t","subject":"","data":{"validationCode":"512d38b6"},"eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-11-24T06:00:00Z","dataVersion":"1","metadataVersion":"1"}]""",
                Encoding.UTF8, "application/json"),
        };
        validation.Headers.Add("aeg-event-type", "SubscriptionValidation");
        var validated = await client.SendAsync(validation);
        using var options = new HttpRequestMessage(HttpMethod.Options, "/api/events/blob");
        options.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
        var allowed = await client.SendAsync(options);
        var delivered = await client.PostAsync(new Uri("/api/events/blob", UriKind.Relative), new StringContent(EventGridBlobCreated("evt-3", "landing", "day.csv"), Encoding.UTF8, "application/json"));
        var malformed = await client.PostAsync(new Uri("/api/events/blob", UriKind.Relative), new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.Equal("512d38b6", JsonDocument.Parse(await validated.Content.ReadAsStringAsync()).RootElement.GetProperty("validationResponse").GetString());
        Assert.Equal("eventgrid.azure.net", allowed.Headers.GetValues("WebHook-Allowed-Origin").Single());
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("on_landing", Assert.Single(await RunsAsync(factory)).Pipeline);
    }

    [Fact]
    public async Task On_the_local_server_with_Azurite_a_file_dropped_into_the_watched_folder_starts_a_run_that_succeeds()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var setting = "DURAFLOW_TEST_WIRING_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(setting, Services.Azurite);
        _project.Write("duraflow.yaml", $"store:\n  type: azure\n  connection: {setting}\n  prefix: {prefix}\n");
        await using var factory = Factory(localWorkers: true, watch: "drop");
        using var client = factory.CreateClient();
        var local = await factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        var finished = new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously);
        local.Committer.RunChanged += (_, change) =>
        {
            var state = change.State;
            if (state.Pipeline == "on_landing" && state.Status.IsTerminal())
            {
                finished.TrySetResult(state);
            }
        };
        try
        {
            Assert.IsType<AzureStore>(local.Committer.Store);
            _project.Write("drop/landing/2026-11-24/orders.csv", "id,amount\n1,10\n");

            var state = await finished.Task.WaitAsync(TimeSpan.FromSeconds(90));

            Assert.Equal(RunStatus.Succeeded, state.Status);
            Assert.Equal("2026-11-24/orders.csv", state.TriggerValues["blob"].GetProperty("name").GetString());
        }
        finally
        {
            await ((AzureStore)local.Committer.Store).DeleteEverythingAsync(CancellationToken.None);
            Environment.SetEnvironmentVariable(setting, null);
        }
    }

    private static async Task<IReadOnlyList<RunSummary>> RunsAsync(WebApplicationFactory<ApiFactory> factory)
    {
        var local = await factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        return await local.Committer.Store.ListRunsAsync(new RunQuery(), CancellationToken.None);
    }

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

    private WebApplicationFactory<ApiFactory> Factory(bool localWorkers = false, string? watch = null) =>
        new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _project.Root);
            b.UseSetting("Duraflow:LocalWorkers", localWorkers ? "true" : "false");
            b.UseSetting("Duraflow:Schedules", "false");
            b.UseSetting("Duraflow:Auth:Disabled", "true");
            if (watch is not null)
            {
                b.UseSetting("Duraflow:WatchFolder", watch);
            }
        });
}

using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Tests;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>
/// The Azure store against a real Azurite: the conformance suite, each test in tables and queues of its own, plus
/// what only this store has (large bodies in blobs, messages that are not ours).
/// </summary>
public sealed class AzureStoreTests : StoreConformanceTests
{
    private AzureStore? _store;

    private AzureStore Opened => _store ??= OpenFresh();

    internal static AzureStore OpenFresh(AzureStoreOptions? options = null) =>
        AzureStore.OpenAsync(
            AzureStorageAccount.FromConnectionString(Services.Azurite),
            (options ?? new AzureStoreOptions()) with { Prefix = "t" + Guid.NewGuid().ToString("N")[..12] }).GetAwaiter().GetResult();

    private readonly TempFolder _scratch = new();

    private protected override (IRunStore Store, IWorkQueues Queues) Open() => (Opened, Opened);

    private protected override IArtifactStore Outputs => Opened.CreateArtifactStore(_scratch.Root);

    protected override void Cleanup()
    {
        _store?.DeleteEverythingAsync(CancellationToken.None).GetAwaiter().GetResult();
        _scratch.Dispose();
    }

    [Fact]
    public async Task A_listing_update_that_comes_late_does_not_list_the_run_as_an_older_version_showed_it()
    {
        var plan = Of(WaitBlock("a"));
        var requested = RunDecider.Decide(plan, new RunState(), new RunRequested(T0, "r", "p", "hash", new Dictionary<string, JsonElement>(), "test"));
        await Opened.CommitAsync(new RunCommit { RunId = "r", ExpectedVersion = 0, Events = requested.Events, State = requested.State, Plan = plan }, CancellationToken.None);
        var started = RunDecider.Decide(plan, requested.State, new RunStarted(T0));
        await Opened.CommitAsync(new RunCommit { RunId = "r", ExpectedVersion = requested.State.Version, Events = started.Events, State = started.State }, CancellationToken.None);
        var waiting = Accept(plan, started.State, new BlockWaiting(T0, "a", 1, T0.AddHours(1), "wait.for"));
        await Opened.CommitAsync(
            new RunCommit { RunId = "r", ExpectedVersion = started.State.Version, Events = waiting.Events, State = waiting.State, WaitingChanged = true },
            CancellationToken.None);

        // The process that committed the start stalled, and lists the run as the start left it only now.
        await Opened.UpdateIndexAsync("r", started.State, started.State.Version, CancellationToken.None);

        var listed = Assert.Single(await Opened.ListRunsAsync(new RunQuery(), CancellationToken.None));
        Assert.True(listed.Waiting);
    }

    [Fact]
    public async Task A_body_too_large_for_a_queue_message_travels_through_a_blob_and_arrives_whole()
    {
        var plan = Of(Block("a"));
        var requested = RunDecider.Decide(plan, new RunState(), new RunRequested(T0, "big", "p", "hash", new Dictionary<string, JsonElement>(), "test"));
        var body = JsonSerializer.Serialize(new { text = new string('x', 100_000) });

        await Opened.CommitAsync(new RunCommit
        {
            RunId = "big", ExpectedVersion = 0, Events = requested.Events, State = requested.State, Plan = plan,
            Outgoing = [new WorkItem(WorkQueues.Blocks, "big", "big/block/a/1", body, DateTimeOffset.UtcNow)],
        }, CancellationToken.None);

        var leased = Assert.Single(await Opened.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(body, leased.Body);
        Assert.Contains(Opened.Container.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "payloads/", CancellationToken.None), b => b.Name.EndsWith("big%2Fblock%2Fa%2F1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_purge_that_stopped_after_deleting_the_run_is_finished_by_the_next_one_leaving_no_row_or_blob()
    {
        // Random text does not compress, so the log line goes to a blob of its own (logs/...).
        var log = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(80_000));
        await FinishAsync("half", Old, idempotencyKey: "orders:half", log: log);
        var runs = new TableClient(Services.Azurite, Opened.Options.RunsTable);
        Assert.Contains(Blobs("logs/half/"), _ => true);
        await runs.DeleteEntityAsync("half", "run");

        var result = await Retention.PurgeAsync(Cutoff, null, 1000, CancellationToken.None);

        Assert.Equal(1, result.Purged);
        Assert.Empty(runs.Query<TableEntity>(e => e.PartitionKey == "half"));
        Assert.Empty(Blobs("runs/half/"));
        Assert.Empty(Blobs("logs/half/"));
        var index = new TableClient(Services.Azurite, Opened.Options.IndexTable);
        Assert.Empty(index.Query<TableEntity>(e => e.PartitionKey == "keys"));
        Assert.Empty(index.Query<TableEntity>(e => e.PartitionKey == "runs"));
        Assert.Single(index.Query<TableEntity>(e => e.PartitionKey == "plans"));
    }

    private List<Azure.Storage.Blobs.Models.BlobItem> Blobs(string prefix) =>
        [.. Opened.Container.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None)];

    [Theory]
    [InlineData(QueueMessageEncoding.Base64, "not a Duraflow work message")]
    [InlineData(QueueMessageEncoding.None, "not base64 text")]
    public async Task A_message_that_is_not_a_work_message_is_set_aside_and_does_not_come_back(QueueMessageEncoding encoding, string reason)
    {
        var queue = new QueueClient(Services.Azurite, Opened.Options.QueueName(WorkQueues.Blocks), new QueueClientOptions { MessageEncoding = encoding });
        await queue.SendMessageAsync("{\"not\": \"ours\"}");

        Assert.Empty(await Opened.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.Zero, CancellationToken.None));
        Assert.Empty(await Opened.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.Zero, CancellationToken.None));
        var index = new TableClient(Services.Azurite, Opened.Options.IndexTable);
        var poison = Assert.Single(index.Query<TableEntity>(e => e.PartitionKey == "poison"));
        Assert.Equal("{\"not\": \"ours\"}", poison.GetString("Text"));
        Assert.Contains(reason, poison.GetString("Reason"), StringComparison.Ordinal);
    }
}

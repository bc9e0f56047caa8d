using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Engine.Tests.Workers;
using Duraflow.Tests;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>
/// A worker process SIGKILLed inside an incremental block, after it read the watermark and staged the next one: the
/// watermark does not move, the redelivered attempt on another worker reads the same rows, and the next run reads the
/// rows after them. Each row is read by one successful run.
/// </summary>
[Trait("Requires", "Azurite")]
public sealed class IncrementalChaosTests
{
    private static readonly RunPlan Pipeline = Of(Block("take"), Block("load", "take"));

    [Fact]
    public async Task A_worker_killed_inside_an_incremental_block_leaves_the_watermark_and_the_retry_reads_the_same_rows()
    {
        using var folder = new TempFolder();
        var options = new AzureStoreOptions { Prefix = "inc" + Guid.NewGuid().ToString("N")[..10] };
        var store = await AzureStore.OpenAsync(AzureStorageAccount.FromConnectionString(Services.Azurite), options);
        var starter = new RunCommitter(store, store, store.CreateArtifactStore(folder.PathOf("starter")));
        var marker = folder.PathOf("take-started");
        ChaosWorkerProcess? first = null;
        ChaosWorkerProcess? second = null;
        try
        {
            var held = await starter.StartRunAsync(Pipeline, Parameters(marker), "chaos");
            first = new ChaosWorkerProcess(options.Prefix, folder.PathOf("worker-1"), Services.Azurite);
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while (!File.Exists(marker))
            {
                Assert.False(first.HasExited, $"the worker died on its own: {first.Errors}");
                await Task.Delay(100, limit.Token);
            }

            var whileHeld = await store.GetCheckpointAsync(Pipeline.Pipeline, "cursor", limit.Token);
            first.Kill();
            second = new ChaosWorkerProcess(options.Prefix, folder.PathOf("worker-2"), Services.Azurite);
            var retried = await FinishAsync(store, held, limit.Token);
            var afterRetry = await CheckpointAsync(store, 5, limit.Token);
            var next = await FinishAsync(store, await starter.StartRunAsync(Pipeline, Parameters(null), "chaos"), limit.Token);

            Assert.Null(whileHeld);
            Assert.Equal(RunStatus.Succeeded, retried.Status);
            // The killed delivery read cursor 0, as the one that finished did.
            Assert.Equal("0", await File.ReadAllTextAsync(marker, limit.Token));
            Assert.Equal("[1,2,3,4,5]", await OutputAsync(store, folder, retried));
            Assert.Equal(5, afterRetry);
            Assert.Equal("[6,7,8,9,10]", await OutputAsync(store, folder, next));
            Assert.Equal(10, await CheckpointAsync(store, 10, limit.Token));
        }
        finally
        {
            first?.Dispose();
            second?.Dispose();
            await store.DeleteEverythingAsync(CancellationToken.None);
        }
    }

    private static Dictionary<string, JsonElement> Parameters(string? marker) =>
        marker is null ? [] : new() { ["hold_first"] = JsonSerializer.SerializeToElement(marker) };

    private static async Task<RunState> FinishAsync(AzureStore store, string runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var run = (await store.GetRunAsync(runId, cancellationToken))!.State;
            if (run.Status.IsTerminal())
            {
                return run;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    // On Azure a run's checkpoints are written from its outbox just after its success is recorded: what is stored once
    // it shows the value expected, or after half a minute.
    private static async Task<int?> CheckpointAsync(AzureStore store, int expected, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var stored = (await store.GetCheckpointAsync(Pipeline.Pipeline, "cursor", cancellationToken))?.GetInt32();
            if (stored == expected || DateTimeOffset.UtcNow > deadline)
            {
                return stored;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<string> OutputAsync(AzureStore store, TempFolder folder, RunState run) =>
        JsonDocument.Parse(await StoredOutputs.TextAsync(store.CreateArtifactStore(folder.PathOf("reader")), run.Block("load").Output!)).RootElement.GetRawText();
}

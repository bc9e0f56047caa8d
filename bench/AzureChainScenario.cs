using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Duraflow.Engine.Tests;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Engine.Workers;

namespace Duraflow.Bench;

/// <summary>
/// A sequential chain of no-op blocks on the Azure store (Azurite), run by one in-process worker: how many storage
/// transactions one block step costs, by service, next to what the same steps take in time. The floor is one queue
/// round trip (put, receive, delete), the least any queue-driven step can cost.
/// </summary>
internal sealed class AzureChainScenario(int blocks, string connection)
{
    private const int FloorRoundTrips = 50;

    public string Run() => RunAsync().GetAwaiter().GetResult();

    private async Task<string> RunAsync()
    {
        var scratch = Directory.CreateTempSubdirectory("duraflow-bench-azure-");
        var store = await AzureStore.OpenAsync(
            AzureStorageAccount.FromConnectionString(connection, "DURAFLOW_BENCH_AZURE"),
            new AzureStoreOptions { Prefix = "bench" + Guid.NewGuid().ToString("N")[..10] });
        try
        {
            var floor = await QueueRoundTrip.MeasureAsync(connection, FloorRoundTrips);
            var committer = new RunCommitter(store, store, store.CreateArtifactStore(scratch.FullName), new EngineOptions { Parallelism = 2, ProjectRoot = scratch.FullName });
            var host = new WorkerHost(committer, new BlockAttemptRunner(committer, new EngineUnderTest.NoOpBlocks()));
            using var stop = new CancellationTokenSource();
            var running = host.RunAsync(stop.Token);

            var before = Snapshot(store.Transactions);
            var clock = Stopwatch.StartNew();
            var runId = $"chain-{Guid.NewGuid():N}";
            var finished = FinishedAsync(committer, runId);
            await committer.StartRunAsync(RunShapes.Chain(blocks), new Dictionary<string, JsonElement>(), "bench", runId);
            var final = await finished;
            clock.Stop();
            var used = Snapshot(store.Transactions) - before;
            await stop.CancelAsync();
            await running;
            if (final.Status != RunStatus.Succeeded)
            {
                throw new InvalidOperationException($"the chain run ended {final.Status}: {final.Error}");
            }

            return Report(used, clock.Elapsed, floor);
        }
        finally
        {
            await store.DeleteEverythingAsync(CancellationToken.None);
            scratch.Delete(recursive: true);
        }
    }

    private string Report(Counts used, TimeSpan elapsed, TimeSpan floor)
    {
        var perBlock = elapsed.TotalMilliseconds / blocks;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"sequential chain of {blocks} no-op blocks on Azurite, one worker process");
        text.AppendLine();
        text.AppendLine("| measurement | total | per block |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| table transactions | {used.Tables} | {(double)used.Tables / blocks:F2} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| queue transactions | {used.Queues} | {(double)used.Queues / blocks:F2} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| blob transactions | {used.Blobs} | {(double)used.Blobs / blocks:F2} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| **all storage transactions** | {used.Total} | **{(double)used.Total / blocks:F2}** |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| wall time | {elapsed.TotalSeconds:F2} s | {perBlock:F1} ms ({blocks / elapsed.TotalSeconds:F1} blocks/s) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| floor: one queue round trip (put + receive + delete) | | {floor.TotalMilliseconds:F1} ms |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| time per block / floor | | {perBlock / floor.TotalMilliseconds:F1}x |");
        return text.ToString();
    }

    private static async Task<RunState> FinishedAsync(RunCommitter committer, string runId)
    {
        var finished = new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously);
        committer.RunChanged += (_, change) =>
        {
            var state = change.State;
            if (state.RunId == runId && state.Status.IsTerminal())
            {
                finished.TrySetResult(state);
            }
        };
        return await finished.Task.WaitAsync(TimeSpan.FromMinutes(10));
    }

    private static Counts Snapshot(StorageTransactions t) => new(t.Tables, t.Queues, t.Blobs);

    private readonly record struct Counts(long Tables, long Queues, long Blobs)
    {
        public long Total => Tables + Queues + Blobs;

        public static Counts operator -(Counts a, Counts b) => new(a.Tables - b.Tables, a.Queues - b.Queues, a.Blobs - b.Blobs);
    }
}

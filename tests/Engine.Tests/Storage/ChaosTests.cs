using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Engine.Tests.Workers;
using Duraflow.Tests;
using Xunit.Abstractions;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>
/// Three worker processes on one Azure store (Azurite), SIGKILLed at random points and restarted, while they work on
/// ten runs of a 200-block fan-out pipeline. Whatever a kill interrupts (a block, a commit, the queue puts after a
/// commit, a sweep), every run must succeed, every block's success be recorded once, and every output exist.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int Runs = 10;
    private const int Items = 197;
    private const int Kills = 12;

    // prep + list + 197 × each + all = 200 blocks per run.
    private static readonly RunPlan Pipeline = Of(
        Block("prep"), Block("list", "prep") with { FanOut = true }, Block("each", "list") with { MappedOver = "list" }, Block("all", "each"));

    [Fact]
    public async Task Runs_survive_worker_processes_killed_at_random_with_every_success_recorded_once()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using var folder = new TempFolder();
        var options = new AzureStoreOptions { Prefix = "chaos" + Guid.NewGuid().ToString("N")[..10] };
        var store = await AzureStore.OpenAsync(AzureStorageAccount.FromConnectionString(Services.Azurite), options);
        var starter = new RunCommitter(store, store, store.CreateArtifactStore(folder.PathOf("starter")));
        var workers = new ChaosWorkerProcess?[3];
        try
        {
            var parameters = new Dictionary<string, JsonElement> { ["items"] = JsonSerializer.SerializeToElement(Items) };
            var runIds = new List<string>();
            for (var i = 0; i < Runs; i++)
            {
                runIds.Add(await starter.StartRunAsync(Pipeline, parameters, "chaos"));
            }

            ChaosWorkerProcess Launch(int slot) => new(options.Prefix, folder.PathOf($"worker-{slot}"), Services.Azurite);
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = Launch(i);
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var kills = 0;
            while (await store.CountUnfinishedRunsAsync(limit.Token) > 0)
            {
                // Chaos pacing, not a timing assertion: a kill every 0.3 to 2.5 seconds while runs are unfinished, of a
                // worker that has been working for a second at least, so that on a loaded machine the kills still
                // land in work rather than in process start-up.
                await Task.Delay(random.Next(300, 2500), limit.Token);
                Assert.All(workers, w => Assert.False(w!.HasExited, $"a worker died on its own: {w.Errors}"));
                var working = Enumerable.Range(0, workers.Length)
                    .Where(i => workers[i]!.Ready.IsCompletedSuccessfully && DateTimeOffset.UtcNow - workers[i]!.Ready.Result > TimeSpan.FromSeconds(1))
                    .ToList();
                if (kills < Kills && working.Count > 0)
                {
                    var slot = working[random.Next(working.Count)];
                    workers[slot]!.Kill();
                    workers[slot]!.Dispose();
                    workers[slot] = Launch(slot);
                    kills++;
                }
            }

            output.WriteLine($"{kills} kills; {store.Transactions}");
            Assert.Equal(Kills, kills);
            foreach (var runId in runIds)
            {
                await AssertCompleteAsync(store, runId);
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker?.Dispose();
            }

            await store.DeleteEverythingAsync(CancellationToken.None);
        }
    }

    private static async Task AssertCompleteAsync(AzureStore store, string runId)
    {
        var run = (await store.GetRunAsync(runId, CancellationToken.None))!.State;
        var failures = string.Join("; ", run.Blocks.Where(b => b.Value.Error is not null).Select(b => $"{b.Key}: {b.Value.Error}"));
        Assert.True(run.Status == RunStatus.Succeeded, $"run {runId} is {run.Status}: {run.Error} {failures}");
        // The blocks' instances (prep, list, all and 197 items) and the mapped block itself, which has no attempt.
        Assert.Equal(Items + 4, run.Blocks.Count);

        var successes = (await store.GetEventsAsync(runId, CancellationToken.None)).OfType<BlockSucceeded>().GroupBy(e => e.Key).ToList();
        Assert.Equal(Items + 3, successes.Count);
        Assert.All(successes, g => Assert.Single(g));

        var artifacts = store.CreateArtifactStore(Path.GetTempPath());
        foreach (var (key, block) in run.Blocks.Where(b => b.Key != "each"))
        {
            Assert.Equal(BlockStatus.Succeeded, block.Status);
            Assert.True(
                OutputReference.TryGetInlineJson(block.Output!, out _) || await artifacts.ExistsAsync(block.Output!, CancellationToken.None),
                $"the output of {runId}/{key} is missing");
        }

        var total = JsonDocument.Parse(await StoredOutputs.TextAsync(artifacts, run.Block("all").Output!)).RootElement.GetInt32();
        Assert.Equal(Items * (Items + 1), total);
    }
}

using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Tests;

namespace Duraflow.Durable.Tests;

/// <summary>Purging a durable run takes its orchestration histories along, one per round, through the run router.</summary>
[Trait("Requires", "Azurite")]
public sealed class DurableRetentionTests : IDisposable
{
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Purging_a_retried_durable_run_purges_the_history_of_each_round_and_then_the_run()
    {
        _project.Write("pipelines/f/fail.csx", "throw new InvalidOperationException(\"always\");");
        _project.Write("pipelines/f/pipeline.yaml", "name: f\nblocks:\n  - { name: fail, uses: script:fail.csx }\n");
        await using var runtime = await DurableRuntimeUnderTest.StartAsync(_project);
        var runId = await runtime.StartAsync("f");
        await runtime.WaitAsync(runId);
        Assert.True((await runtime.Durable.SignalAsync(runId, new RetryFailedBlocks(), CancellationToken.None)).Accepted);
        var retried = await runtime.WaitAsync(runId, s => s.Round == 1 && s.Status.IsTerminal());
        var rounds = new[] { runId, DurableNames.InstanceId(runId, 1) };
        await WaitUntilCompletedAsync(runtime, rounds);
        Assert.NotEmpty(await runtime.HistoryTextAsync(rounds[1]));

        // Any host's router does it: it hands the engine's retention a way to the Durable runtime.
        _ = new RunRouter(runtime.Engine, RuntimeKind.Durable, _ => Task.FromResult(runtime.Durable));
        var result = await runtime.Engine.Retention.PurgeAsync(retried.EndedAt!.Value.AddSeconds(1), null, 100, CancellationToken.None);

        Assert.Equal((1, 0), (result.Purged, result.Kept));
        Assert.Null(await runtime.Engine.Store.GetRunAsync(runId, CancellationToken.None));
        foreach (var instance in rounds)
        {
            Assert.Null(await runtime.Host.Client.GetInstanceAsync(instance));
            Assert.Empty(await runtime.HistoryTextAsync(instance));
        }
    }

    [Fact]
    public async Task A_durable_run_whose_task_hub_cannot_be_reached_is_kept_with_the_reason()
    {
        _project.Write("pipelines/k/one.csx", "return 1;");
        _project.Write("pipelines/k/pipeline.yaml", "name: k\nblocks:\n  - { name: one, uses: script:one.csx }\n");
        await using var runtime = await DurableRuntimeUnderTest.StartAsync(_project);
        var runId = await runtime.StartAsync("k");
        var state = await runtime.WaitAsync(runId);

        _ = new RunRouter(runtime.Engine, RuntimeKind.Duraflow, _ => throw new DurableHostException("the task hub's account cannot be reached"));
        var result = await runtime.Engine.Retention.PurgeAsync(state.EndedAt!.Value.AddSeconds(1), null, 100, CancellationToken.None);

        Assert.Equal((0, 1), (result.Purged, result.Kept));
        Assert.Equal($"the durable history of run {runId} could not be purged: the task hub's account cannot be reached", result.KeptBecause);
        Assert.NotNull(await runtime.Engine.Store.GetRunAsync(runId, CancellationToken.None));
    }

    // The store records a round as ended from inside its orchestration, which completes a moment later.
    private static async Task WaitUntilCompletedAsync(DurableRuntimeUnderTest runtime, IEnumerable<string> instances)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var instance in instances)
        {
            while ((await runtime.Host.Client.GetInstanceAsync(instance, limit.Token))?.IsCompleted != true)
            {
                await Task.Delay(50, limit.Token);
            }
        }
    }
}

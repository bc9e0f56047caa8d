using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>
/// Group commit: reports on one run that arrive while its commit is under way share the next commit, each caller gets
/// its own decision, and a failure stays with the requests it belongs to.
/// </summary>
public class RunCommitLanesTests
{
    private static readonly RunState Anything = new();

    [Fact]
    public async Task Requests_that_queue_behind_a_commit_share_the_next_one_in_order()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<List<string>>();
        var lanes = new RunCommitLanes(async (_, batch, _) =>
        {
            lock (batches)
            {
                batches.Add([.. batch.Select(Name)]);
            }

            if (batches.Count == 1)
            {
                await gate.Task;
            }

            return [.. batch.Select(r => new Decision(Anything, r.Inputs, [], null))];
        });

        var first = lanes.SubmitAsync("run", Request("a"));
        var queued = new[] { lanes.SubmitAsync("run", Request("b")), lanes.SubmitAsync("run", Request("c")), lanes.SubmitAsync("run", Request("d")) };
        var otherRun = lanes.SubmitAsync("other", Request("x"));
        await otherRun;
        Assert.All(queued, t => Assert.False(t.IsCompleted));
        gate.SetResult();

        Assert.Equal("a", Name((await first).Events[0]));
        Assert.Equal(["b", "c", "d"], (await Task.WhenAll(queued)).Select(d => Name(d.Events[0])));
        Assert.Equal([["a"], ["x"], ["b", "c", "d"]], batches.OrderBy(b => b[0] == "b").ToList());
    }

    [Fact]
    public async Task A_request_that_cannot_share_is_committed_alone()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<List<string>>();
        var lanes = new RunCommitLanes(async (_, batch, _) =>
        {
            batches.Add([.. batch.Select(Name)]);
            if (batches.Count == 1)
            {
                await gate.Task;
            }

            return [.. batch.Select(r => new Decision(Anything, r.Inputs, [], null))];
        });

        var first = lanes.SubmitAsync("run", Request("a"));
        var rest = new[]
        {
            lanes.SubmitAsync("run", Request("b")),
            lanes.SubmitAsync("run", Request("dead", new RunCommitExtras { DeadLetterReason = "poison" })),
            lanes.SubmitAsync("run", Request("c")),
        };
        gate.SetResult();
        await first;
        await Task.WhenAll(rest);

        Assert.Equal([["a"], ["b"], ["dead"], ["c"]], batches);
    }

    [Fact]
    public async Task A_lost_lease_in_a_shared_commit_fails_only_its_own_request()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var lanes = new RunCommitLanes(async (_, batch, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await gate.Task;
            }

            if (batch.Any(r => Name(r) == "lost"))
            {
                throw new LeaseLostException("another worker took it over");
            }

            return [.. batch.Select(r => new Decision(Anything, r.Inputs, [], null))];
        });

        var first = lanes.SubmitAsync("run", Request("a"));
        var ok = lanes.SubmitAsync("run", Request("b"));
        var lost = lanes.SubmitAsync("run", Request("lost"));
        var alsoOk = lanes.SubmitAsync("run", Request("c"));
        gate.SetResult();

        await first;
        Assert.Equal("b", Name((await ok).Events[0]));
        Assert.Equal("c", Name((await alsoOk).Events[0]));
        await Assert.ThrowsAsync<LeaseLostException>(() => lost);
    }

    [Fact]
    public async Task Any_other_failure_of_a_shared_commit_reaches_every_caller_and_the_lane_goes_on()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var lanes = new RunCommitLanes(async (_, batch, _) =>
        {
            var call = Interlocked.Increment(ref calls);
            if (call == 1)
            {
                await gate.Task;
            }

            return call == 2 ? throw new InvalidOperationException("disk full") : [.. batch.Select(r => new Decision(Anything, r.Inputs, [], null))];
        });

        var first = lanes.SubmitAsync("run", Request("a"));
        var failing = new[] { lanes.SubmitAsync("run", Request("b")), lanes.SubmitAsync("run", Request("c")) };
        gate.SetResult();
        await first;

        foreach (var task in failing)
        {
            Assert.Equal("disk full", (await Assert.ThrowsAsync<InvalidOperationException>(() => task)).Message);
        }

        Assert.Equal("d", Name((await lanes.SubmitAsync("run", Request("d"))).Events[0]));
    }

    [Fact]
    public async Task Items_of_a_fan_out_finishing_together_on_one_worker_never_conflict_with_each_other()
    {
        var running = 0;
        var together = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var steps = new StepEngine(async (block, _) =>
        {
            // The first four items finish together, so their reports reach the engine at once. (The limit turns a
            // worker that runs fewer at once into a slower test rather than a hang.)
            if (block.Name.StartsWith('f') && Interlocked.Increment(ref running) <= 4)
            {
                if (running == 4)
                {
                    together.SetResult();
                }

                await together.Task.WaitAsync(TimeSpan.FromSeconds(20));
            }

            return null;
        }, new EngineOptions { Parallelism = 8 });
        var plan = Of([Block("start"), .. Enumerable.Range(0, 40).Select(i => Block($"f{i}", "start")), Block("join", [.. Enumerable.Range(0, 40).Select(i => $"f{i}")])]);

        var final = await steps.RunAsync(plan);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal(0, steps.Store.Conflicts);
        var successes = steps.Store.Commits.SelectMany(c => c).OfType<BlockSucceeded>().Select(s => s.Key).ToList();
        Assert.Equal(42, successes.Count);
        Assert.Equal(42, successes.Distinct().Count());
    }

    private static CommitRequest Request(string name, RunCommitExtras? extras = null) =>
        new([new BlockSkipped(T0, name, "test")], extras ?? new RunCommitExtras(), CancellationToken.None);

    private static string Name(CommitRequest request) => Name(request.Inputs[0]);

    private static string Name(RunEvent e) => ((BlockSkipped)e).Key;
}

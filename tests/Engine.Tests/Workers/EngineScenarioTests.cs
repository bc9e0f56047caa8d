using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>Whole runs on the real SQLite store and worker host: retries, timeouts, cancel, rerun, poison work.</summary>
public class EngineScenarioTests
{
    private static readonly int[] Items = [1, 2, 3];

    [Fact]
    public async Task A_block_failing_twice_succeeds_on_the_third_attempt_after_delays_that_follow_the_policy()
    {
        using var scenario = new ScenarioEngine((_, context) => context.Attempt < 3
            ? throw new InvalidOperationException($"flaky {context.Attempt}")
            : Task.FromResult<object?>("ok"));
        var plan = Of(Block("flaky") with { Retry = Retries(3, delayMs: 150) });

        var runId = await scenario.StartAsync(plan);
        var final = await scenario.FinishAsync(runId);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal([1, 2, 3], scenario.Calls.Select(c => c.Attempt));
        var events = await scenario.EventsAsync(runId);
        var retries = events.OfType<BlockRetrying>().ToList();
        Assert.Equal([TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(300)], retries.Select(r => r.DueAt - r.At));
        var starts = events.OfType<BlockStarted>().ToDictionary(s => s.Attempt);
        Assert.True(starts[2].At >= retries[0].DueAt, "attempt 2 started before its retry timer was due");
        Assert.True(starts[3].At >= retries[1].DueAt, "attempt 3 started before its retry timer was due");
        Assert.Equal(["InvalidOperationException: flaky 1", "InvalidOperationException: flaky 2"], events.OfType<BlockFailed>().Select(f => f.Error));
    }

    [Fact]
    public async Task A_block_over_its_timeout_is_stopped_and_fails_with_the_reason()
    {
        var observedCancel = false;
        using var scenario = new ScenarioEngine(async (_, context) =>
        {
            await HangUntilCancelledAsync(() => observedCancel = true, context.CancellationToken);
            return null;
        });

        var final = await scenario.RunAsync(Of(Block("hangs") with { Timeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal(RunStatus.Failed, final.Status);
        Assert.Equal("timed out after 200ms (block timeout)", final.Block("hangs").Error);
        Assert.True(observedCancel);
    }

    [Fact]
    public async Task Cancel_stops_the_running_block_through_its_token_and_cancels_the_rest()
    {
        var observedCancel = false;
        using var scenario = new ScenarioEngine(async (block, context) =>
        {
            if (block.Name == "slow")
            {
                await HangUntilCancelledAsync(() => observedCancel = true, context.CancellationToken);
            }

            return null;
        });

        // Running as the store shows it: once the block has run for EngineOptions.RecordStartAfter.
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        scenario.Engine.RunChanged += (_, change) =>
        {
            var state = change.State;
            if (state.Blocks.GetValueOrDefault("slow")?.Status == BlockStatus.Running)
            {
                running.TrySetResult();
            }
        };
        var runId = await scenario.StartAsync(Of(Block("slow"), Block("after", "slow")));
        var finishing = scenario.FinishAsync(runId);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var decision = await scenario.Engine.CancelAsync(runId, "test");
        var final = await finishing;

        Assert.Equal(RunStatus.Cancelling, decision.State.Status);
        Assert.Equal(RunStatus.Cancelled, final.Status);
        Assert.Equal(BlockStatus.Cancelled, final.Block("slow").Status);
        Assert.Equal(BlockStatus.Cancelled, final.Block("after").Status);
        Assert.True(observedCancel);
        Assert.Equal(0, scenario.CallsOf("after"));
    }

    [Fact]
    public async Task Retrying_a_failed_run_reruns_the_failed_block_and_its_downstream_and_reuses_succeeded_outputs()
    {
        var failB = true;
        var seenByB = new List<string>();
        using var scenario = new ScenarioEngine((block, context) =>
        {
            switch (block.Name)
            {
                case "a":
                    return Task.FromResult<object?>(new { value = 41 });
                case "b":
                    seenByB.Add(context.Inputs["a"].Json.GetRawText());
                    return failB ? throw new NonRetryableBlockException("bad data") : Task.FromResult<object?>(context.Inputs["a"].Json.GetProperty("value").GetInt32() + 1);
                default:
                    return Task.FromResult<object?>(context.Inputs["b"].Json.GetInt32());
            }
        });
        var plan = Of(Block("a"), Block("b", "a") with { Retry = Retries(3) }, Block("c", "b"));
        var runId = await scenario.StartAsync(plan);
        var failed = await scenario.FinishAsync(runId);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal(BlockStatus.UpstreamFailed, failed.Block("c").Status);
        Assert.Equal(1, scenario.CallsOf("b"));

        failB = false;
        Assert.True((await scenario.Engine.RetryAsync(runId)).Accepted);
        var final = await scenario.FinishAsync(runId);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal(1, scenario.CallsOf("a"));
        Assert.Equal(2, scenario.CallsOf("b"));
        Assert.Equal(1, scenario.CallsOf("c"));
        Assert.Equal(["{\"value\":41}", "{\"value\":41}"], seenByB);
        Assert.Equal("42", await StoredOutputs.TextAsync(scenario.Engine.Artifacts, final.Block("c").Output!));
    }

    [Fact]
    public async Task Work_delivered_more_often_than_allowed_is_dead_lettered_and_fails_its_block_with_the_reason()
    {
        using var scenario = new ScenarioEngine((_, _) => Task.FromResult<object?>("never"), "max_deliveries: 2");
        var runId = await scenario.StartAsync(Of(Block("poison")));
        await scenario.Engine.ApplyAsync(runId, new RunStarted(DateTimeOffset.UtcNow));

        // Three workers take the message and die before finishing: their leases end at once.
        for (var delivery = 0; delivery < 3; delivery++)
        {
            Assert.Single(await scenario.Engine.Queues.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.Zero, CancellationToken.None));
        }

        var final = await scenario.FinishAsync(runId);

        Assert.Equal(RunStatus.Failed, final.Status);
        Assert.Contains("delivered 3 times and never finished", final.Block("poison").Error, StringComparison.Ordinal);
        Assert.Equal(0, scenario.CallsOf("poison"));
        var letter = Assert.Single(await scenario.Engine.Store.GetDeadLettersAsync(runId, CancellationToken.None));
        Assert.Equal(4, letter.Deliveries);
        Assert.Equal($"{runId}/block/poison/1", letter.Key);
    }

    [Fact]
    public async Task A_pipeline_with_concurrency_one_runs_its_runs_one_after_the_other()
    {
        var running = 0;
        var most = 0;
        using var scenario = new ScenarioEngine(async (_, context) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Yield();
            Interlocked.Decrement(ref running);
            return null;
        });
        var plan = Of(Block("a"), Block("b", "a")) with { Concurrency = 1 };
        var first = await scenario.StartAsync(plan);
        var second = await scenario.StartAsync(plan);

        var firstFinal = await scenario.FinishAsync(first);
        var secondFinal = await scenario.FinishAsync(second);

        Assert.Equal(RunStatus.Succeeded, firstFinal.Status);
        Assert.Equal(RunStatus.Succeeded, secondFinal.Status);
        Assert.Equal(1, most);
        var (earlier, later) = firstFinal.StartedAt < secondFinal.StartedAt ? (firstFinal, secondFinal) : (secondFinal, firstFinal);
        Assert.True(later.StartedAt >= earlier.EndedAt, "the second run started before the first one ended");
    }

    [Fact]
    public async Task A_fan_out_hands_each_item_to_its_reader_and_all_results_to_the_collector()
    {
        using var scenario = new ScenarioEngine((block, context) => Task.FromResult<object?>(block.Name switch
        {
            "list" => Items,
            "each" => context.Inputs["list"].Json.GetInt32() * 10,
            _ => context.Inputs["each"].Json.EnumerateArray().Sum(e => e.GetInt32()),
        }));
        var plan = Of(Block("list") with { FanOut = true }, Block("each", "list") with { MappedOver = "list" }, Block("all", "each"));

        var final = await scenario.RunAsync(plan);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal(3, scenario.CallsOf("each"));
        Assert.Equal([0, 1, 2], scenario.Calls.Where(c => c.Block == "each").Select(c => c.Item!.Value).Order());
        Assert.Equal("60", await StoredOutputs.TextAsync(scenario.Engine.Artifacts, final.Block("all").Output!));
    }

    public sealed record Sale(int Region, int Amount);

    [Fact]
    public async Task Tables_of_fan_out_items_reach_the_collector_as_one_table_and_are_stored_as_parquet()
    {
        var collected = new List<Sale>();
        using var scenario = new ScenarioEngine((block, context) => Task.FromResult<object?>(block.Name switch
        {
            "list" => Items,
            "each" => Enumerable.Range(0, context.Inputs["list"].Json.GetInt32()).Select(i => new Sale(context.ItemIndex!.Value, i)).ToList(),
            _ => Collect(context.Inputs["each"].Table!),
        }));
        object? Collect(Table table)
        {
            collected.AddRange(table.Rows<Sale>());
            return new { files = table.Files.Count };
        }

        var final = await scenario.RunAsync(Of(Block("list") with { FanOut = true }, Block("each", "list") with { MappedOver = "list" }, Block("all", "each")));

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.EndsWith(".parquet", final.Block("each[0]").Output, StringComparison.Ordinal);
        Assert.Equal([(0, 1), (1, 2), (2, 3)], collected.GroupBy(s => s.Region).Select(g => (g.Key, g.Count())).Order());
        Assert.Equal("""{"files":3}""", await StoredOutputs.TextAsync(scenario.Engine.Artifacts, final.Block("all").Output!));
        Assert.Empty(Directory.EnumerateFileSystemEntries(scenario.Engine.Artifacts.ScratchDirectory));
    }

    [Fact]
    public async Task Checkpoints_are_stored_only_when_the_whole_run_succeeds()
    {
        using var scenario = new ScenarioEngine((block, context) =>
        {
            context.SetCheckpoint(block.Name, JsonSerializer.SerializeToElement("mark"));
            return block.Name == "bad" ? throw new NonRetryableBlockException("no") : Task.FromResult<object?>(null);
        });

        await scenario.RunAsync(Of(Block("good"), Block("bad")));

        // The good block succeeded, but its run failed: the next run must read the same rows again.
        Assert.Null(await scenario.Engine.Store.GetCheckpointAsync("test", "good", CancellationToken.None));
        Assert.Null(await scenario.Engine.Store.GetCheckpointAsync("test", "bad", CancellationToken.None));

        await scenario.RunAsync(Of(Block("good")));

        Assert.Equal("mark", (await scenario.Engine.Store.GetCheckpointAsync("test", "good", CancellationToken.None))?.GetString());
    }

    [Fact]
    public async Task Block_log_lines_are_stored_with_the_attempt()
    {
        using var scenario = new ScenarioEngine((block, context) =>
        {
#pragma warning disable CA1873, CA2254 // The test writes exactly what a block author would.
            Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(context.Logger, "hello from {Block} attempt {Attempt}", block.Name, context.Attempt);
#pragma warning restore CA1873, CA2254
            return Task.FromResult<object?>(null);
        });
        var runId = await scenario.StartAsync(Of(Block("talker")));
        await scenario.FinishAsync(runId);

        var line = Assert.Single(await scenario.Engine.Store.GetLogsAsync(runId, "talker", CancellationToken.None));

        Assert.Equal("hello from talker attempt 1", line.Message);
        Assert.Equal("information", line.Level);
    }

    // A block that only ends through its token, and tells the test it saw the cancellation.
    private static async Task HangUntilCancelledAsync(Action onCancelled, CancellationToken token)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
            onCancelled();
            throw;
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

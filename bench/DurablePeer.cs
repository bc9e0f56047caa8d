using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Duraflow.Bench;

/// <summary>
/// The anchor for the durable runtime: the same shapes written directly as Durable Task orchestrations of activities
/// that do nothing, on the same in-process host (worker, sidecar, Azure Storage provider on Azurite, parallelism 16).
/// What a hand-written Durable Functions app pays per activity on this machine, so the durable runtime's rows read as
/// its overhead over Durable itself: the decider, and recording each decision in the run store. Written as a user would
/// write them: the chain is one loop of activity calls with no continue-as-new, so its replays grow with its length.
/// With <c>--store memory</c> the same orchestrations run on the same sidecar over the in-process test host's
/// in-memory provider (<see cref="InMemoryDurableHost"/>): Durable's own cost per activity, without its storage.
/// </summary>
internal static class DurablePeer
{
    private const string Chain = "BenchChain";
    private const string FanOut = "BenchFanOut";
    private const string NoOp = "BenchNoOp";

    /// <summary>The results table's store column for the rows on Azurite, the durable runtime's own host.</summary>
    public const string Store = "Durable Task, Azurite";

    /// <summary>The results table's store column for the rows in memory.</summary>
    public const string MemoryStore = "Durable Task, in memory";

    /// <summary>Before the shape's name in the scenario column.</summary>
    public const string ScenarioPrefix = "bare Durable ";

    public static IReadOnlyList<string> Names { get; } = ["chain", "fanout", "runs"];

    /// <summary>What <c>--store</c> takes: the task hub on Azurite, or nothing stored.</summary>
    public static IReadOnlyList<string> Stores { get; } = ["azurite", "memory"];

    // Instances whose last activity has run: the bench learns of the end in process, as the durable runtime's rows
    // learn of it from the run store's commit, instead of through the client's completion polling.
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Finished = new(StringComparer.Ordinal);

    // Activities run since the measured run started, to say how far a run that ran over its budget got.
    private static int _activities;

    public static async Task<ScenarioOutcome> RunAsync(string store, string scenario, int size, TimeSpan budget)
    {
        if (!Names.Contains(scenario))
        {
            throw new ArgumentException($"unknown scenario '{scenario}' ({string.Join(", ", Names)})");
        }

        if (!Stores.Contains(store))
        {
            throw new ArgumentException($"unknown store '{store}' ({string.Join(", ", Stores)})");
        }

        var host = await PeerHost.StartAsync(store);
        await MeasureAsync(host.Client, scenario, Math.Min(size, 5));

        var memory = PeakMemory.Reset();
        var outcome = new ScenarioOutcome { Scenario = ScenarioPrefix + scenario, Store = store == "memory" ? MemoryStore : Store, Size = size.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var blocks = EngineScenario.Blocks(scenario, size, 1);
        Volatile.Write(ref _activities, 0);
        try
        {
            var elapsed = await Task.Run(() => MeasureAsync(host.Client, scenario, size)).WaitAsync(budget);
            await host.StopAsync();
            return outcome with
            {
                Value = (scenario == "runs" ? size : blocks) / elapsed.TotalSeconds,
                Unit = scenario == "runs" ? "runs/s" : "blocks/s",
                ElapsedSeconds = elapsed.TotalSeconds,
                MsPerBlock = elapsed.TotalMilliseconds / blocks,
                PeakBytes = memory.Bytes(),
                PeakSource = memory.Source,
            };
        }
        catch (TimeoutException)
        {
            var unfinished = outcome with
            {
                Failure = OutcomeText.Invariant($"did not finish in {budget.TotalSeconds:0} s ({Volatile.Read(ref _activities):N0} of {blocks:N0} activities ran)"),
                Unit = scenario == "runs" ? "runs/s" : "blocks/s",
                RateBelow = (scenario == "runs" ? size : blocks) / budget.TotalSeconds,
                PeakBytes = memory.Bytes(),
                PeakSource = memory.Source,
            };
            await host.AbandonAsync();
            return unfinished;
        }
    }

    private static void Register(DurableTaskRegistry tasks)
    {
        tasks.AddOrchestratorFunc<int>(Chain, async (context, length) =>
        {
            for (var i = 0; i < length; i++)
            {
                await context.CallActivityAsync(NoOp, i == length - 1 ? context.InstanceId : "");
            }
        });
        tasks.AddOrchestratorFunc<int>(FanOut, async (context, width) =>
        {
            await context.CallActivityAsync(NoOp, "");
            await Task.WhenAll(Enumerable.Range(0, width).Select(_ => context.CallActivityAsync(NoOp, "")));
            await context.CallActivityAsync(NoOp, context.InstanceId);
        });

        // The last activity of an instance names it, and marks it finished.
        tasks.AddActivityFunc<string>(NoOp, (_, last) =>
        {
            Interlocked.Increment(ref _activities);
            if (!string.IsNullOrEmpty(last) && Finished.TryGetValue(last, out var done))
            {
                done.TrySetResult();
            }
        });
    }

    private static async Task<TimeSpan> MeasureAsync(DurableTaskClient client, string scenario, int size)
    {
        var (orchestrator, instances, input) = scenario switch
        {
            "chain" => (Chain, 1, size),
            "fanout" => (FanOut, 1, size),
            _ => (Chain, size, EngineScenario.BlocksPerRun),
        };
        var ids = Enumerable.Range(0, instances).Select(i => $"bare-{scenario}-{i}-{Guid.NewGuid():N}").ToList();
        var finished = ids.Select(id => Finished.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task).ToList();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, token) =>
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(id), token));
        await Task.WhenAll(finished);
        return clock.Elapsed;
    }

    /// <summary>The host the instances run on, and how to let it go after a run that finished or one that ran over its budget.</summary>
    private sealed record PeerHost(DurableTaskClient Client, Func<ValueTask> StopAsync, Func<Task> AbandonAsync)
    {
        public static async Task<PeerHost> StartAsync(string store)
        {
            if (store == "memory")
            {
                // Nothing outlives the process, so a run over its budget is left to the process's exit.
                var memory = await InMemoryDurableHost.StartAsync(Register, EngineUnderTest.Parallelism);
                return new PeerHost(memory.Client, memory.DisposeAsync, () => Task.CompletedTask);
            }

            // As for the engine's scenarios: a run over its budget gets a few seconds to stop, and its task hub is
            // deleted either way. The client is there: the durable store always starts a Durable host.
            var engine = await EngineUnderTest.StartAsync(BenchStore.Durable, BenchStoreNames.AzureConnection, Register);
            return new PeerHost(engine.DurableClient!, engine.DisposeAsync, () => engine.AbandonAsync(TimeSpan.FromSeconds(15)));
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.InMemory;

namespace Duraflow.Bench;

/// <summary>
/// The peer: Hangfire 1.8 (OSS) on its in-memory storage, running the same chain and fan-out/fan-in shapes as jobs
/// that do nothing. A chain is N jobs each created as a continuation of the one before
/// (<c>ContinueJobWith</c>). OSS Hangfire has no batches (those are Hangfire Pro), so the fan-out is one start job
/// with N continuations whose completions are counted; the last to complete enqueues the join. Its worker count
/// equals the engine's parallelism in <see cref="EngineUnderTest"/> (16). In-memory storage is not durable, so the
/// fair comparison is with SQLite NORMAL as well as FULL.
/// </summary>
internal static class HangfirePeer
{
    public const int Workers = 16;

    public static IReadOnlyList<string> Names { get; } = ["chain", "fanout"];

    public static async Task<ScenarioOutcome> RunAsync(string scenario, int size, TimeSpan budget)
    {
        var storage = new InMemoryStorage();
        var client = new BackgroundJobClient(storage);
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = Workers, ServerName = "bench" }, storage);
        HangfireSteps.Client = client;
        await MeasureAsync(client, scenario, 5);

        var memory = PeakMemory.Reset();
        var outcome = new ScenarioOutcome { Scenario = "Hangfire " + scenario, Store = "Hangfire.InMemory", Size = size.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var blocks = scenario == "chain" ? size : size + 2;
        try
        {
            // On the thread pool, so the budget also covers creating the jobs, which happens before the first await.
            var elapsed = await Task.Run(() => MeasureAsync(client, scenario, size)).WaitAsync(budget);
            return outcome with
            {
                Value = blocks / elapsed.TotalSeconds,
                Unit = "blocks/s",
                ElapsedSeconds = elapsed.TotalSeconds,
                MsPerBlock = elapsed.TotalMilliseconds / blocks,
                PeakBytes = memory.Bytes(),
                PeakSource = memory.Source,
            };
        }
        catch (TimeoutException)
        {
            return outcome with { Failure = OutcomeText.Invariant($"did not finish in {budget.TotalSeconds:0} s"), PeakBytes = memory.Bytes(), PeakSource = memory.Source };
        }
    }

    private static async Task<TimeSpan> MeasureAsync(BackgroundJobClient client, string scenario, int size)
    {
        var run = Guid.NewGuid().ToString("N");
        var done = HangfireSteps.Expect(run, size);
        var clock = Stopwatch.StartNew();
        if (scenario == "chain")
        {
            var previous = client.Enqueue(() => HangfireSteps.Step(run));
            for (var i = 1; i < size; i++)
            {
                previous = client.ContinueJobWith(previous, () => HangfireSteps.Step(run));
            }
        }
        else
        {
            var start = client.Schedule(() => HangfireSteps.Nothing(), TimeSpan.FromDays(1));
            for (var i = 0; i < size; i++)
            {
                client.ContinueJobWith(start, () => HangfireSteps.Branch(run));
            }

            // Created held back (scheduled) and then enqueued, so all continuations exist before the start runs.
            client.Requeue(start);
        }

        await done;
        return clock.Elapsed;
    }
}

/// <summary>The peer's job methods; Hangfire invokes them by name, so they are public and static.</summary>
public static class HangfireSteps
{
    private static readonly ConcurrentDictionary<string, Counter> Runs = new(StringComparer.Ordinal);

    internal static IBackgroundJobClient? Client { get; set; }

    internal static Task Expect(string run, int count) => Runs.GetOrAdd(run, _ => new Counter(count)).Done.Task;

    public static void Nothing()
    {
    }

    /// <summary>A chain step; the last one completes the run.</summary>
    public static void Step(string run) => Runs[run].Arrive();

    /// <summary>A fan-out branch; the last to finish enqueues the join.</summary>
    public static void Branch(string run)
    {
        if (Runs[run].Remaining() == 0)
        {
            Client!.Enqueue(() => Join(run));
        }
    }

    public static void Join(string run) => Runs[run].Done.TrySetResult();

    private sealed class Counter(int count)
    {
        private int _remaining = count;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Remaining() => Interlocked.Decrement(ref _remaining);

        public void Arrive()
        {
            if (Remaining() == 0)
            {
                Done.TrySetResult();
            }
        }
    }
}

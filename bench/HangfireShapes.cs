using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;

namespace Duraflow.Bench;

/// <summary>
/// The Hangfire peer's shapes, on whichever storage the caller opens, as jobs that do nothing run by a
/// <c>BackgroundJobServer</c> of <see cref="Workers"/> workers (the engine's parallelism in <c>EngineUnderTest</c>).
/// A chain is N jobs, each created as a continuation of the one before (<c>ContinueJobWith</c>). OSS Hangfire has no
/// batches (those are Hangfire Pro), so the fan-out is one start job with N continuations whose completions are
/// counted; the last to complete enqueues the join. Runs are N five-job chains, created by eight callers at once. This
/// file is compiled into the harness (in-memory storage) and into PeerHangfirePostgres (PostgreSQL storage, a process
/// of its own, since Hangfire.PostgreSql needs an older Npgsql than ours), so both storages run the very same jobs.
/// </summary>
internal static class HangfireShapes
{
    /// <summary>The server's workers: jobs at once, as the engine runs its blocks.</summary>
    public const int Workers = 16;

    /// <summary>The results table's store column for the peer on Hangfire.InMemory.</summary>
    public const string MemoryStore = "Hangfire.InMemory";

    /// <summary>The results table's store column for the peer on Hangfire.PostgreSql.</summary>
    public const string PostgresStore = "Hangfire.PostgreSql";

    /// <summary>Jobs per run in the runs shape, as <c>EngineScenario.BlocksPerRun</c> is for the engine.</summary>
    public const int JobsPerRun = 5;

    /// <summary>Before the shape's name in the scenario column.</summary>
    public const string ScenarioPrefix = "Hangfire ";

    public static IReadOnlyList<string> Names { get; } = ["chain", "fanout", "runs"];

    /// <summary>Warms up on the same shape at size 5, then measures one run of it within <paramref name="budget"/>.</summary>
    public static async Task<ScenarioOutcome> RunAsync(JobStorage storage, string store, string scenario, int size, TimeSpan budget)
    {
        if (!Names.Contains(scenario))
        {
            throw new ArgumentException($"unknown scenario '{scenario}' ({string.Join(", ", Names)})");
        }

        var client = new BackgroundJobClient(storage);
        HangfireSteps.Client = client;
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = Workers, ServerName = "bench" }, storage);
        using var stop = new CancellationTokenSource();
        await Task.Run(() => MeasureAsync(client, scenario, Math.Min(size, 5), new JobTally(), stop.Token));

        var memory = PeakMemory.Reset();
        var outcome = new ScenarioOutcome { Scenario = ScenarioPrefix + scenario, Store = store, Size = size.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var jobs = Jobs(scenario, size);
        var progress = new JobTally();
        try
        {
            // On the thread pool, so the budget also covers creating the jobs, which happens before the first await.
            var elapsed = await Task.Run(() => MeasureAsync(client, scenario, size, progress, stop.Token)).WaitAsync(budget);
            return outcome with
            {
                Value = (scenario == "runs" ? size : jobs) / elapsed.TotalSeconds,
                Unit = scenario == "runs" ? "runs/s" : "blocks/s",
                ElapsedSeconds = elapsed.TotalSeconds,
                MsPerBlock = elapsed.TotalMilliseconds / jobs,
                PeakBytes = memory.Bytes(),
                PeakSource = memory.Source,
            };
        }
        catch (TimeoutException)
        {
            // Jobs still being created stop here, so the server shuts down (and a schema can be dropped) without them.
            await stop.CancelAsync();
            return outcome with
            {
                Failure = OutcomeText.Invariant($"did not finish in {budget.TotalSeconds:0} s ({progress.Created:N0} of {jobs:N0} jobs created, {progress.Ran:N0} ran)"),
                Unit = scenario == "runs" ? "runs/s" : "blocks/s",
                RateBelow = (scenario == "runs" ? size : jobs) / budget.TotalSeconds,
                PeakBytes = memory.Bytes(),
                PeakSource = memory.Source,
            };
        }
    }

    /// <summary>Jobs a shape runs: the fan-out's start and join jobs count, as the engine's first and join blocks do.</summary>
    private static int Jobs(string scenario, int size) => scenario switch
    {
        "chain" => size,
        "fanout" => size + 2,
        _ => size * JobsPerRun,
    };

    private static async Task<TimeSpan> MeasureAsync(BackgroundJobClient client, string scenario, int size, JobTally progress, CancellationToken cancellationToken)
    {
        // Every job but the fan-out's start and join reports to the counter; the last report ends the measurement.
        progress.Run = Guid.NewGuid().ToString("N");
        var done = HangfireSteps.Expect(progress.Run, scenario == "runs" ? size * JobsPerRun : size);
        var clock = Stopwatch.StartNew();
        switch (scenario)
        {
            case "chain":
                Chain(client, progress, size, cancellationToken);
                break;
            case "fanout":
                var run = progress.Run;
                var start = client.Schedule(() => HangfireSteps.Nothing(), TimeSpan.FromDays(1));
                progress.Add();
                for (var i = 0; i < size && !cancellationToken.IsCancellationRequested; i++)
                {
                    client.ContinueJobWith(start, () => HangfireSteps.Branch(run));
                    progress.Add();
                }

                // Created held back (scheduled) and then enqueued, so all continuations exist before the start runs.
                client.Requeue(start);
                break;
            default:
                // Created by eight callers at once, as the Durable peer starts its instances.
                await Parallel.ForAsync(0, size, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, (_, token) =>
                {
                    Chain(client, progress, JobsPerRun, token);
                    return ValueTask.CompletedTask;
                });
                break;
        }

        await done;
        return clock.Elapsed;
    }

    private static void Chain(BackgroundJobClient client, JobTally progress, int length, CancellationToken cancellationToken)
    {
        var run = progress.Run;
        var previous = client.Enqueue(() => HangfireSteps.Step(run));
        progress.Add();
        for (var i = 1; i < length && !cancellationToken.IsCancellationRequested; i++)
        {
            previous = client.ContinueJobWith(previous, () => HangfireSteps.Step(run));
            progress.Add();
        }
    }

    /// <summary>How far a measurement got: jobs created, and jobs that reported to the run's counter.</summary>
    private sealed class JobTally
    {
        private int _created;

        public string Run { get; set; } = "";

        public int Created => Volatile.Read(ref _created);

        public int Ran => HangfireSteps.Arrived(Run);

        public void Add() => Interlocked.Increment(ref _created);
    }
}

/// <summary>The peer's job methods; Hangfire invokes them by name, so they are public and static.</summary>
public static class HangfireSteps
{
    private static readonly ConcurrentDictionary<string, Counter> Runs = new(StringComparer.Ordinal);

    internal static IBackgroundJobClient? Client { get; set; }

    internal static Task Expect(string run, int count) => Runs.GetOrAdd(run, _ => new Counter(count)).Done.Task;

    internal static int Arrived(string run) => Runs.TryGetValue(run, out var counter) ? counter.Arrived : 0;

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
            // Set before the first job was created.
            Client!.Enqueue(() => Join(run));
        }
    }

    public static void Join(string run) => Runs[run].Done.TrySetResult();

    private sealed class Counter(int count)
    {
        private readonly int _count = count;
        private int _remaining = count;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Arrived => _count - Volatile.Read(ref _remaining);

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

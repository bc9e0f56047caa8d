using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Engine.Tests;
using Duraflow.Engine.Workers;

namespace Duraflow.Bench;

/// <summary>
/// <c>bench retention</c>: whether a store that has kept many finished runs still lists and starts runs as fast as an
/// empty one. Two SQLite FULL stores, one empty and one filled with finished five-block runs (committed directly, each
/// run whole in one commit, many commits to a transaction), each measured the same way in turns: the newest 50 runs
/// listed (median of 200), and 100 five-block runs started at once and worked to the end by one worker host. The
/// result is the filled store's time over the empty one's, the worse of the two, in percent (100 % is the same speed).
/// Then the filled runs are purged, which the note times.
/// </summary>
internal static class RetentionScenario
{
    /// <summary>Finished runs in the filled store: the 100,000, or a smoke run's 1,000.</summary>
    public const int FullSize = 100_000;

    private const int SmokeSize = 1_000;
    private const int Listings = 200;
    private const int Runs = 100;
    private const int Turns = 5;

    // Filling 100,000 runs and purging them take minutes on a slow day; the engine scenarios' 20 s would cut them off.
    private static readonly TimeSpan LeastBudget = TimeSpan.FromMinutes(10);

    /// <summary>The row of <c>bench all</c>, measured in a child process of its own.</summary>
    public static Task<ScenarioOutcome> InChildAsync(bool smoke, TimeSpan budget)
    {
        var size = smoke ? SmokeSize : FullSize;
        return ScenarioProcess.RunAsync(Describe(size), budget > LeastBudget ? budget : LeastBudget, ["retention", "--runs", size.ToString(CultureInfo.InvariantCulture)]);
    }

    public static async Task<ScenarioOutcome> RunAsync(int finishedRuns, TimeSpan budget)
    {
        var scratch = Directory.CreateTempSubdirectory("duraflow-bench-retention-");
        var outcome = Describe(finishedRuns);
        try
        {
            return await Task.Run(() => MeasureAsync(scratch.FullName, finishedRuns, outcome)).WaitAsync(budget);
        }
        catch (TimeoutException)
        {
            // The process exits after this; what it left in the scratch folder goes with the temp folder.
            return outcome with { Failure = OutcomeText.Invariant($"did not finish in {budget.TotalSeconds:0} s") };
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                scratch.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Still held by a store the timeout left open.
            }
        }
    }

    private static ScenarioOutcome Describe(int finishedRuns) =>
        new() { Scenario = "retention: list 50, start 100 runs", Store = BenchStore.SqliteFull.Name(), Size = OutcomeText.Invariant($"{finishedRuns:N0} finished runs") };

    private static async Task<ScenarioOutcome> MeasureAsync(string scratch, int finishedRuns, ScenarioOutcome outcome)
    {
        var total = Stopwatch.StartNew();
        await using var empty = Engine.Open(Path.Combine(scratch, "empty"));
        await using var full = Engine.Open(Path.Combine(scratch, "full"));
        var fill = Stopwatch.StartNew();
        await FillAsync(full.Store, finishedRuns);
        fill.Stop();

        // Both warm, so the first turn measures neither JIT nor a cold page cache.
        foreach (var engine in new[] { empty, full })
        {
            await engine.ListAsync(20);
            await engine.RunManyAsync(10);
        }

        var list = new Dictionary<Engine, List<double>> { [empty] = [], [full] = [] };
        var runs = new Dictionary<Engine, List<double>> { [empty] = [], [full] = [] };
        for (var turn = 0; turn < Turns; turn++)
        {
            // Each store goes first in turn: whichever goes second finds the machine warmer.
            foreach (var engine in turn % 2 == 0 ? new[] { empty, full } : [full, empty])
            {
                list[engine].Add(await engine.ListAsync(Listings));
                runs[engine].Add(await engine.RunManyAsync(Runs));
            }
        }

        var (listEmpty, listFull) = (Median(list[empty]), Median(list[full]));
        var (runsEmpty, runsFull) = (Median(runs[empty]), Median(runs[full]));
        var purge = Stopwatch.StartNew();
        var purged = await new RunRetention(full.Store, full.Store, keep: null).PurgeAsync(DateTimeOffset.UtcNow.AddDays(-1), "old", int.MaxValue, CancellationToken.None);
        purge.Stop();
        var ratio = Math.Max(listFull / listEmpty, runsFull / runsEmpty);
        return outcome with
        {
            Value = ratio * 100,
            Unit = "% of the empty store's time",
            ElapsedSeconds = total.Elapsed.TotalSeconds,
            Note = OutcomeText.Invariant(
                $"newest 50 listed in {listFull:0.000} ms with {finishedRuns:N0} finished runs, {listEmpty:0.000} ms on an empty store ({listFull / listEmpty:0.00}x); ")
                + OutcomeText.Invariant($"{Runs} five-block runs in {runsFull:0.000} s and {runsEmpty:0.000} s ({runsFull / runsEmpty:0.00}x), medians of {Turns} turns; ")
                + OutcomeText.Invariant($"filling took {fill.Elapsed.TotalSeconds:0.0} s, purging the {purged.Purged:N0} runs {purge.Elapsed.TotalSeconds:0.0} s"),
        };
    }

    /// <summary>
    /// <paramref name="count"/> finished runs of a five-block chain, requested over the last 60 days, each committed
    /// whole (its events and final state) in one commit; a thousand commits at a time share the store's transactions.
    /// The first pins the plan, which all of them name.
    /// </summary>
    internal static async Task FillAsync(SqliteStore store, int count)
    {
        var plan = RunShapes.Chain(EngineScenario.BlocksPerRun, "old");
        var hash = RunPlanner.Hash(plan.ToJson());
        var first = DateTimeOffset.UtcNow.AddDays(-60);
        var step = TimeSpan.FromDays(59) / count;
        for (var start = 0; start < count; start += 1000)
        {
            var commits = Enumerable.Range(start, Math.Min(1000, count - start))
                .Select(i => store.CommitAsync(Finished(plan, hash, $"old-{i:D6}", first + (step * i)) with { Plan = i == 0 ? plan : null }, CancellationToken.None));
            await Task.WhenAll(commits);
        }
    }

    private static RunCommit Finished(RunPlan plan, string hash, string runId, DateTimeOffset at)
    {
        var events = new List<RunEvent>();
        var state = new RunState();
        void Apply(RunEvent input)
        {
            var decision = RunDecider.Decide(plan, state, input);
            events.AddRange(decision.Events);
            state = decision.State;
        }

        Apply(new RunRequested(at, runId, plan.Pipeline, hash, new Dictionary<string, JsonElement>(), "bench"));
        Apply(new RunStarted(at));
        foreach (var block in plan.Blocks)
        {
            Apply(new BlockStarted(at, block.Name, 1, "bench"));
            Apply(new BlockSucceeded(at, block.Name, 1, OutputReference.Inline("null")));
        }

        return state.Status == RunStatus.Succeeded
            ? new RunCommit { RunId = runId, ExpectedVersion = 0, Events = events, State = state }
            : throw new InvalidOperationException($"the filled run {runId} ended {state.Status}");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>One store with one worker host of no-op blocks on it, as one worker process runs it.</summary>
    private sealed class Engine : IAsyncDisposable
    {
        private readonly RunCommitter _committer;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _working;
        private readonly ConcurrentDictionary<string, TaskCompletionSource<RunState>> _waiting = new(StringComparer.Ordinal);

        private Engine(SqliteStore store, string folder)
        {
            Store = store;
            _committer = new RunCommitter(store, store, new LocalArtifactStore(Path.Combine(folder, "artifacts")), new EngineOptions { Parallelism = 16, ProjectRoot = folder });
            _committer.RunChanged += (_, change) =>
            {
                if (change.State.Status.IsTerminal() && _waiting.TryRemove(change.State.RunId, out var done))
                {
                    done.TrySetResult(change.State);
                }
            };
            _working = new WorkerHost(_committer, new BlockAttemptRunner(_committer, new EngineUnderTest.NoOpBlocks())).RunAsync(_stop.Token);
        }

        public SqliteStore Store { get; }

        public static Engine Open(string folder) => new(SqliteStore.Open(Path.Combine(folder, "runs.db"), SqliteDurability.Full), folder);

        /// <summary>Lists the newest 50 runs <paramref name="times"/> times; the median time of one listing, in ms.</summary>
        public async Task<double> ListAsync(int times)
        {
            var took = new List<double>(times);
            for (var i = 0; i < times; i++)
            {
                var clock = Stopwatch.StartNew();
                await Store.ListRunsAsync(new RunQuery(Limit: 50), CancellationToken.None);
                took.Add(clock.Elapsed.TotalMilliseconds);
            }

            return Median(took);
        }

        /// <summary>Starts <paramref name="count"/> five-block runs at once and waits until all have succeeded; seconds from the first start to the last end.</summary>
        public async Task<double> RunManyAsync(int count)
        {
            var plan = RunShapes.Chain(EngineScenario.BlocksPerRun, "hello");
            var ids = Enumerable.Range(0, count).Select(_ => $"hello-{Guid.NewGuid():N}").ToList();
            var finished = ids.Select(id => _waiting.GetOrAdd(id, _ => new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously)).Task).ToList();
            var runtime = new DuraflowRuntime(_committer);
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, token) =>
                await runtime.StartAsync(PlanRuns.NewRun(_committer, plan, EngineUnderTest.NoParameters, "bench", id), token));
            foreach (var state in await Task.WhenAll(finished).WaitAsync(TimeSpan.FromMinutes(5)))
            {
                EngineUnderTest.Succeeded(state);
            }

            return clock.Elapsed.TotalSeconds;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _working;
            _stop.Dispose();
            Store.Dispose();
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Duraflow.Engine.Tests;
using Duraflow.Blocks;
using Duraflow.Durable;
using Duraflow.Durable.Local;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Engine.Workers;

namespace Duraflow.Bench;

/// <summary>Which store a scenario runs on.</summary>
internal enum BenchStore
{
    SqliteFull,
    SqliteNormal,
    Azurite,

    /// <summary>
    /// The durable runtime as <c>duraflow run --runtime durable</c> runs it here: the Durable Task worker and sidecar in
    /// process, the task hub on Azurite, the run index on SQLite FULL.
    /// </summary>
    Durable,
}

/// <summary>
/// The engine as one worker process runs it (store, <see cref="RunCommitter"/>, <see cref="WorkerHost"/>), with blocks that
/// do nothing, so what is measured is the engine's own cost per block. Fresh storage for each instance. On
/// <see cref="BenchStore.Durable"/> the runs go to an in-process Durable host on a task hub of their own instead of the
/// worker host, which then stays idle.
/// </summary>
internal sealed class EngineUnderTest : IAsyncDisposable
{
    /// <summary>Blocks at once: the engine's parallelism, the Durable host's activity parallelism, and the peers'.</summary>
    public const int Parallelism = 16;

    private readonly DirectoryInfo _scratch;
    private readonly IDisposable? _sqlite;
    private readonly AzureStore? _azure;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RunState>> _waiting = new(StringComparer.Ordinal);
    private LocalDurableHost? _durableHost;
    private IRunRuntime _runtime;

    private EngineUnderTest(BenchStore kind, DirectoryInfo scratch, IRunStore store, IWorkQueues queues, IArtifactStore artifacts, IDisposable? sqlite, AzureStore? azure)
    {
        Kind = kind;
        _scratch = scratch;
        _sqlite = sqlite;
        _azure = azure;
        Blocks = new NoOpBlocks();
        Engine = new RunCommitter(store, queues, artifacts, new EngineOptions { Parallelism = Parallelism, ProjectRoot = scratch.FullName });
        Engine.RunChanged += (_, change) =>
        {
            var state = change.State;
            if (state.Status.IsTerminal() && _waiting.TryRemove(state.RunId, out var done))
            {
                done.TrySetResult(state);
            }
        };
        Host = new WorkerHost(Engine, new BlockAttemptRunner(Engine, Blocks));
        _running = Host.RunAsync(_stop.Token);
        _runtime = new DuraflowRuntime(Engine);
    }

    public BenchStore Kind { get; }

    public RunCommitter Engine { get; }

    public WorkerHost Host { get; }

    /// <summary>The no-op blocks; tells when each block starts, for latency.</summary>
    public NoOpBlocks Blocks { get; }

    /// <summary>The Azure store's transaction counters, or null on SQLite.</summary>
    public StorageTransactions? Transactions => _azure?.Transactions;

    /// <summary>The Durable host's client, on <see cref="BenchStore.Durable"/>; null on the engine's stores.</summary>
    public Microsoft.DurableTask.Client.DurableTaskClient? DurableClient => _durableHost?.Client;

    /// <summary>Starts an instance; <paramref name="moreTasks"/> adds orchestrators and activities to the Durable host's worker.</summary>
    public static async Task<EngineUnderTest> StartAsync(BenchStore kind, string azureConnection, Action<Microsoft.DurableTask.DurableTaskRegistry>? moreTasks = null)
    {
        var scratch = Directory.CreateTempSubdirectory("duraflow-bench-");
        switch (kind)
        {
            case BenchStore.Durable:
                var index = SqliteStore.Open(Path.Combine(scratch.FullName, "runs.db"), SqliteDurability.Full);
                var engine = new EngineUnderTest(kind, scratch, index, index, new LocalArtifactStore(Path.Combine(scratch.FullName, "artifacts")), index, null);
                var options = new LocalDurableOptions
                {
                    Account = AzureStorageAccount.FromConnectionString(azureConnection, "DURAFLOW_BENCH_AZURE"),
                    HubName = "bench" + Guid.NewGuid().ToString("N")[..16],
                    Parallelism = Parallelism,
                    MoreTasks = moreTasks,
                };
                engine._durableHost = await LocalDurableHost.StartAsync(options, new RunActivities(engine.Engine, new BlockAttempt(engine.Engine, engine.Blocks)), CancellationToken.None);
                engine._runtime = new DurableRuntime(engine.Engine, engine._durableHost.Client);
                return engine;
            case BenchStore.Azurite:
                var azure = await AzureStore.OpenAsync(
                    AzureStorageAccount.FromConnectionString(azureConnection, "DURAFLOW_BENCH_AZURE"),
                    new AzureStoreOptions { Prefix = "bench" + Guid.NewGuid().ToString("N")[..10] });
                return new EngineUnderTest(kind, scratch, azure, azure, azure.CreateArtifactStore(scratch.FullName), null, azure);
            default:
                var durability = kind == BenchStore.SqliteFull ? SqliteDurability.Full : SqliteDurability.Normal;
                var sqlite = SqliteStore.Open(Path.Combine(scratch.FullName, "runs.db"), durability);
                return new EngineUnderTest(kind, scratch, sqlite, sqlite, new LocalArtifactStore(Path.Combine(scratch.FullName, "artifacts")), sqlite, null);
        }
    }

    /// <summary>Starts a run of <paramref name="plan"/> and returns when it has ended; fails unless it succeeded.</summary>
    public async Task<RunState> RunAsync(RunPlan plan, string? runId = null)
    {
        var finished = WhenFinished(runId ??= $"{plan.Pipeline}-{Guid.NewGuid():N}");
        await StartAsync(plan, runId, CancellationToken.None);
        return Succeeded(await finished.WaitAsync(TimeSpan.FromMinutes(10)));
    }

    /// <summary>Starts a run of <paramref name="plan"/> on this instance's runtime and returns once it is started.</summary>
    public Task StartAsync(RunPlan plan, string runId, CancellationToken cancellationToken) =>
        _runtime.StartAsync(PlanRuns.NewRun(Engine, plan, NoParameters, "bench", runId), cancellationToken);

    /// <summary>A task that completes when run <paramref name="runId"/> ends; call before starting it.</summary>
    public Task<RunState> WhenFinished(string runId) =>
        _waiting.GetOrAdd(runId, _ => new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public static IReadOnlyDictionary<string, JsonElement> NoParameters { get; } = new Dictionary<string, JsonElement>();

    public static RunState Succeeded(RunState state) =>
        state.Status == RunStatus.Succeeded ? state : throw new InvalidOperationException($"run {state.RunId} ended {state.Status}: {state.Error}");

    /// <summary>
    /// For a scenario that ran over its budget: asks the worker to stop, gives it two seconds, then deletes the storage
    /// whether it stopped or not (taking at most <paramref name="wait"/>). An abandoned run's tables and queues would
    /// otherwise stay in Azurite, which keeps everything in memory, and slow every later scenario down (a queue round
    /// trip went from 4 ms to 67 ms after one full run left them behind). Best effort, since the process exits next.
    /// </summary>
    public async Task AbandonAsync(TimeSpan wait)
    {
        await _stop.CancelAsync();
        await Task.WhenAny(_running, Task.Delay(TimeSpan.FromSeconds(2)));
        try
        {
            if (_durableHost is not null)
            {
                await StopDurableAsync().AsTask().WaitAsync(wait);
            }

            if (_azure is not null)
            {
                await _azure.DeleteEverythingAsync(CancellationToken.None).WaitAsync(wait);
            }

            _scratch.Delete(recursive: true);
        }
        catch (Exception e) when (e is TimeoutException or Azure.RequestFailedException or OperationCanceledException or IOException)
        {
            await Console.Error.WriteLineAsync("could not delete the abandoned scenario's storage: " + e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        if (_durableHost is not null)
        {
            await StopDurableAsync();
        }

        _stop.Dispose();
        _sqlite?.Dispose();
        if (_azure is not null)
        {
            await _azure.DeleteEverythingAsync(CancellationToken.None);
        }

        _scratch.Delete(recursive: true);
    }

    // The task hub is deleted with the host, so no scenario leaves its queues and tables in Azurite for the next.
    private async ValueTask StopDurableAsync()
    {
        try
        {
            await _durableHost!.DisposeAsync();
        }
        finally
        {
            await _durableHost!.DeleteHubAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Blocks that return nothing at once, and report when each starts.</summary>
    internal sealed class NoOpBlocks : IBlockExecutor
    {
        public event Action<string, string>? Started;

        /// <summary>How many items the list block of a mapped run returns.</summary>
        public int MappedItems { get; set; }

        /// <summary>What a scenario's own blocks do instead (fail, ask for a wait); null for a no-op.</summary>
        public Func<BlockPlan, BlockContext, BlockValue>? Behaviour { get; set; }

        public Task<BlockValue> ExecuteAsync(RunPlan plan, BlockPlan block, BlockContext context)
        {
            Started?.Invoke(context.RunId, block.Name);
            if (Behaviour is { } behaviour)
            {
                return Task.FromResult(behaviour(block, context));
            }

            return Task.FromResult(block.FanOut && block.Name == RunShapes.MappedList
                ? BlockValue.Of(System.Text.Json.JsonSerializer.SerializeToElement(Enumerable.Range(0, MappedItems)))
                : BlockValue.Null);
        }
    }
}

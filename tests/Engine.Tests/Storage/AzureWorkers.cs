using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Engine.Workers;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>
/// Several workers on one Azure store (Azurite), each with a store client, engine and worker host of its own, as
/// separate processes would have; blocks run test code. Every instance gets its own tables and queues.
/// </summary>
internal sealed class AzureWorkers : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<(AzureStore Store, RunCommitter Engine, WorkerHost Host)> _workers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];

    public AzureWorkers(int count, Func<BlockPlan, BlockContext, Task<object?>> behaviour, AzureStoreOptions? options = null, Func<IWorkQueues, IWorkQueues>? queues = null)
    {
        options = (options ?? new AzureStoreOptions()) with { Prefix = "t" + Guid.NewGuid().ToString("N")[..12] };
        for (var i = 0; i < count; i++)
        {
            var store = AzureStore.OpenAsync(AzureStorageAccount.FromConnectionString(Services.Azurite), options).GetAwaiter().GetResult();
            var committer = new RunCommitter(store, queues?.Invoke(store) ?? store, store.CreateArtifactStore(_folder.PathOf($"scratch-{i}")), new EngineOptions
            {
                Parallelism = 4, IdlePoll = TimeSpan.FromMilliseconds(200), Lease = TimeSpan.FromSeconds(20), ProjectRoot = _folder.Root, WorkerId = $"worker-{i}",
            });
            var executor = new Executor(async (block, context) => BlockValue.FromResult(
                await behaviour(block, context).ConfigureAwait(false), context.Block, context.WorkDirectory, context.FanOut, context.CancellationToken));
            _workers.Add((store, committer, new WorkerHost(committer, new BlockAttemptRunner(committer, executor))));
        }
    }

    public AzureStore Store(int i = 0) => _workers[i].Store;

    public RunCommitter Engine(int i = 0) => _workers[i].Engine;

    /// <summary>Starts every worker's host.</summary>
    public void Start()
    {
        foreach (var (_, _, host) in _workers)
        {
            _running.Add(host.RunAsync(_stop.Token));
        }
    }

    public Task<string> StartRunAsync(RunPlan plan, int through = 0) =>
        Engine(through).StartRunAsync(plan, new Dictionary<string, JsonElement>(), "test");

    /// <summary>Waits until the run ends in the store; a generous limit turns a hang into a failure.</summary>
    public async Task<RunState> FinishAsync(string runId, int seconds = 90)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var changed = new SemaphoreSlim(0);
        void OnChanged(object? sender, RunCommitted change) => changed.Release();
        foreach (var (_, committer, _) in _workers)
        {
            committer.RunChanged += OnChanged;
        }

        try
        {
            while (true)
            {
                var stored = await Store().GetRunAsync(runId, limit.Token);
                if (stored is { State.Status: var status } && status.IsTerminal())
                {
                    return stored.State;
                }

                // Woken by any worker's commit, or after a while for commits this test cannot observe.
                await changed.WaitAsync(TimeSpan.FromMilliseconds(250), limit.Token);
            }
        }
        finally
        {
            foreach (var (_, committer, _) in _workers)
            {
                committer.RunChanged -= OnChanged;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        await Store().DeleteEverythingAsync(CancellationToken.None);
        _stop.Dispose();
        _folder.Dispose();
    }

    private sealed class Executor(Func<BlockPlan, BlockContext, Task<BlockValue>> run) : IBlockExecutor
    {
        public Task<BlockValue> ExecuteAsync(RunPlan plan, BlockPlan block, BlockContext context) => run(block, context);
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Engine.Workers;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>
/// A real engine over a real SQLite file, wired by hand (unlike <see cref="ScenarioEngine"/>) so that a test can count
/// the store's round trips, drive the clock, open a second engine over the same store as another process would, and
/// hand dequeued messages to the runner itself.
/// </summary>
internal sealed class StepEngine : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RunState>> _finished = new(StringComparer.Ordinal);

    public StepEngine(Func<BlockPlan, BlockContext, Task<object?>> behaviour, EngineOptions? options = null, TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        Sqlite = SqliteStore.Open(_folder.PathOf("duraflow.db"), SqliteDurability.Normal, Time);
        Store = new CountingRunStore(Sqlite);
        Artifacts = new CountingArtifacts(new LocalArtifactStore(_folder.PathOf("artifacts")));
        Options = (options ?? new EngineOptions()) with { ProjectRoot = _folder.Root, Parallelism = 4 };
        Engine = NewEngine();
        Runner = new BlockAttemptRunner(Engine, new DelegateExecutor(async (block, context) =>
        {
            Calls.Enqueue((context.Block, context.ItemIndex, context.Attempt));
            var result = await behaviour(block, context);
            return BlockValue.FromResult(result, context.Block, context.WorkDirectory, context.FanOut, context.CancellationToken);
        }));
        Engine.RunChanged += (_, change) =>
        {
            var state = change.State;
            if (state.Status.IsTerminal())
            {
                Finished(state.RunId).TrySetResult(state);
            }
        };
    }

    public TimeProvider Time { get; }

    public SqliteStore Sqlite { get; }

    public CountingRunStore Store { get; }

    public CountingArtifacts Artifacts { get; }

    public EngineOptions Options { get; }

    public RunCommitter Engine { get; }

    public BlockAttemptRunner Runner { get; }

    public ConcurrentQueue<(string Block, int? Item, int Attempt)> Calls { get; } = new();

    public int CallsOf(string block) => Calls.Count(c => c.Block == block);

    /// <summary>Another engine over the same store, as a second worker process has: it shares nothing in memory.</summary>
    public RunCommitter NewEngine() => new(Store, Sqlite, Artifacts, Options, Time);

    public Task<string> StartAsync(RunPlan plan) => Engine.StartRunAsync(plan, new Dictionary<string, JsonElement>(), "test");

    /// <summary>Runs this engine's worker host until the run ends; the limit turns a hang into a failure.</summary>
    public async Task<RunState> FinishAsync(string runId)
    {
        await using var working = Work();
        return await Finished(runId).Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Runs this engine's worker host until the result is disposed, which stops it and waits for it.</summary>
    public Working Work(AlertDelivery? alerts = null) => new(new WorkerHost(Engine, Runner, alerts));

    public async Task<RunState> RunAsync(RunPlan plan) => await FinishAsync(await StartAsync(plan));

    /// <summary>The run as stored, read past the counting wrapper so that reading it does not count.</summary>
    public async Task<RunState> StoredAsync(string runId) => (await Sqlite.GetRunAsync(runId, CancellationToken.None))!.State;

    public async Task<IReadOnlyList<RunEvent>> EventsAsync(string runId) => await Sqlite.GetEventsAsync(runId, CancellationToken.None);

    /// <summary>Leases the next message of <paramref name="queue"/>, failing when there is none.</summary>
    public async Task<LeasedWork> DequeueAsync(string queue, TimeSpan lease) =>
        Assert.Single(await Sqlite.DequeueAsync(queue, 1, lease, CancellationToken.None));

    public void Dispose()
    {
        Sqlite.Dispose();
        _folder.Dispose();
    }

    /// <summary>A running worker host.</summary>
    public sealed class Working : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _host;

        public Working(WorkerHost host) => _host = host.RunAsync(_stop.Token);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _host;
            _stop.Dispose();
        }
    }

    private TaskCompletionSource<RunState> Finished(string runId) =>
        _finished.GetOrAdd(runId, _ => new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously));
}

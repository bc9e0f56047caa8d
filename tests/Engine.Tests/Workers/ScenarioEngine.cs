using System.Collections.Concurrent;
using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>
/// A real engine on a real SQLite file in a temporary project, whose blocks run test code instead of scripts, so a
/// test can make a block fail, hang or count its calls.
/// </summary>
internal sealed class ScenarioEngine : IDisposable
{
    private readonly TempFolder _folder = new();

    public ScenarioEngine(Func<BlockPlan, BlockContext, Task<object?>> behaviour, string workers = "parallelism: 4")
    {
        File.WriteAllText(Path.Combine(_folder.Root, "duraflow.yaml"), $"workers:\n  {workers.Replace(", ", "\n  ", StringComparison.Ordinal)}\n");
        Directory.CreateDirectory(Path.Combine(_folder.Root, "pipelines"));
        Local = DuraflowEngine.Open(DuraflowProject.Open(_folder.Root), new DelegateExecutor(async (block, context) =>
        {
            Calls.Enqueue((context.Block, context.ItemIndex, context.Attempt));

            // As real blocks do: a sequence of records becomes a table, anything else JSON.
            var result = await behaviour(block, context).ConfigureAwait(false);
            return BlockValue.FromResult(result, context.Block, context.WorkDirectory, context.FanOut, context.CancellationToken);
        }));
    }

    public DuraflowEngine Local { get; }

    public RunCommitter Engine => Local.Committer;

    public ConcurrentQueue<(string Block, int? Item, int Attempt)> Calls { get; } = new();

    public int CallsOf(string block) => Calls.Count(c => c.Block == block);

    public Task<string> StartAsync(RunPlan plan) =>
        Engine.StartRunAsync(plan, new Dictionary<string, JsonElement>(), "test");

    /// <summary>Works until the run ends; a generous limit turns a hang into a failure instead of a stuck suite.</summary>
    public async Task<RunState> FinishAsync(string runId)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Local.RunUntilFinishedAsync(runId, null, limit.Token);
    }

    public async Task<RunState> RunAsync(RunPlan plan) => await FinishAsync(await StartAsync(plan));

    public async Task<IReadOnlyList<RunEvent>> EventsAsync(string runId) => await Engine.Store.GetEventsAsync(runId, CancellationToken.None);

    public void Dispose()
    {
        Local.Dispose();
        _folder.Dispose();
    }
}

using Duraflow.Engine.Storage;
using System.Text.Json;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Durable.Tests;

/// <summary>
/// One project's engine and the runtime its runs execute on, for the acceptance suite: the same starts, waits, cancels
/// and retries whichever runtime carries the runs out.
/// </summary>
internal abstract class RuntimeUnderTest : IAsyncDisposable
{
    protected RuntimeUnderTest(TempFolder project)
    {
        Project = project;
        Engine = DuraflowEngine.Open(DuraflowProject.Open(project.Root));
    }

    public TempFolder Project { get; }

    public DuraflowEngine Engine { get; }

    public abstract IRunRuntime Runtime { get; }

    protected abstract RunStarter Starter { get; }

    /// <summary>Validates the project's pipeline <paramref name="name"/> and starts a run of it.</summary>
    public async Task<string> StartAsync(string name, string parameters = "{}", RunTrigger? trigger = null)
    {
        var validated = PipelineValidator.Validate(Project.PathOf($"pipelines/{name}/pipeline.yaml"), $"pipelines/{name}/pipeline.yaml");
        Assert.True(validated.IsValid, string.Join("\n", validated.Diagnostics));
        var given = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(parameters)!
            .ToDictionary(p => p.Key, p => ParameterInput.FromJson(p.Value), StringComparer.Ordinal);
        var resolution = RunParameters.Resolve(validated.Definition!, given);
        Assert.Empty(resolution.Problems);
        return (await Starter.StartAsync(new RunRequest(validated, resolution.Parameters!, trigger ?? RunTrigger.ByHand("test")))).RunId;
    }

    /// <summary>A backfill driver that starts its runs on this runtime, over the project as its files are now.</summary>
    public Engine.Triggers.Schedules.BackfillDriver Backfills() =>
        new(Starter, Engine.Store, () => ProjectValidator.Validate(Project.Root), "UTC", TimeProvider.System);

    /// <summary>Waits until the run reaches a state <paramref name="until"/> accepts (by default: ended); a generous limit turns a hang into a failure.</summary>
    public abstract Task<RunState> WaitAsync(string runId, Func<RunState, bool>? until = null);

    /// <summary>
    /// Waits until the runtime has refused run <paramref name="runId"/> a concurrency slot at least once, where it can
    /// tell; the engine's runtime cannot (a refused start is a message released for later), so it returns at once.
    /// </summary>
    public virtual Task WaitUntilRefusedASlotAsync(string runId) => Task.CompletedTask;

    /// <summary>Waits until <paramref name="count"/> of the run's alerts are delivered or given up on; a minute turns a hang into a failure.</summary>
    public async Task<IReadOnlyList<AlertRecord>> AlertsAsync(string runId, int count)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var records = await Engine.Store.ListAlertsAsync(runId, limit.Token);
            if (records.Count(r => r.Status != AlertDeliveryStatus.Retrying) >= count)
            {
                return records;
            }

            await Task.Delay(50, limit.Token);
        }
    }

    /// <summary>The stored output of <paramref name="key"/>, as text.</summary>
    public async Task<string> OutputAsync(RunState state, string key)
    {
        var output = state.Block(key).Output!;
        return OutputReference.TryGetInlineJson(output, out var inline)
            ? inline
            : System.Text.Encoding.UTF8.GetString(await Engine.Committer.Artifacts.ReadAsync(output, CancellationToken.None));
    }

    public virtual ValueTask DisposeAsync()
    {
        Engine.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Polls the store: the same index of runs on both runtimes.</summary>
    protected async Task<RunState> PollAsync(string runId, Func<RunState, bool> until, CancellationToken limit)
    {
        while (true)
        {
            var stored = await Engine.Store.GetRunAsync(runId, limit) ?? throw new RunNotFoundException(runId);
            if (until(stored.State))
            {
                return stored.State;
            }

            await Task.Delay(50, limit);
        }
    }
}

using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Tests;

namespace Duraflow.Durable.Tests;

/// <summary>The <c>duraflow</c> runtime: the engine's own workers in this process, on the project's SQLite store.</summary>
internal sealed class EngineRuntimeUnderTest : RuntimeUnderTest
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _workers;

    public EngineRuntimeUnderTest(TempFolder project)
        : base(project)
    {
        _workers = Engine.Workers.RunAsync(_stop.Token);
    }

    public override IRunRuntime Runtime => Engine.Runtime;

    protected override RunStarter Starter => Engine.Starter;

    public override async Task<RunState> WaitAsync(string runId, Func<RunState, bool>? until = null)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await PollAsync(runId, until ?? (s => s.Status.IsTerminal()), limit.Token);
    }

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _workers;
        _stop.Dispose();
        await base.DisposeAsync();
    }
}

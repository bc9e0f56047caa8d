using Duraflow.Engine.Storage;
using Duraflow.Engine.Tests.Secrets;
using Duraflow.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests;

/// <summary>
/// The served app's own scheduler, as <c>duraflow serve</c> runs it: no timer function and no hand-made tick, only the
/// local loop and a clock that passes minute boundaries.
/// </summary>
public sealed class ServedScheduleTests : IDisposable
{
    private readonly TempFolder _project = new();
    private readonly ManualTime _clock = new();

    public ServedScheduleTests()
    {
        _project.Write("pipelines/every_minute/pipeline.yaml",
            "name: every_minute\ntriggers:\n  - schedule: { cron: \"* * * * *\" }\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/every_minute/blocks/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_served_project_starts_its_scheduled_runs_by_itself()
    {
        await using var factory = new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _project.Root);
            b.UseSetting("Duraflow:LocalWorkers", "false");
            b.UseSetting("Duraflow:Auth:Disabled", "true");
            b.ConfigureServices(s => s.AddSingleton<TimeProvider>(_clock));
        });
        using var client = factory.CreateClient();
        var local = await factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);

        // The loop's first check records when it first saw the schedule; each minute the clock passes after that is
        // a due tick. The clock moves a minute at a time until a run appears, so the test does not depend on when
        // the loop armed its wait.
        IReadOnlyList<RunSummary> runs = [];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (runs.Count == 0)
        {
            patience.Token.ThrowIfCancellationRequested();
            await local.Committer.Signal.WaitAsync(TimeSpan.FromMilliseconds(200), patience.Token);
            _clock.Advance(TimeSpan.FromMinutes(1));
            runs = await local.Store.ListRunsAsync(new RunQuery("every_minute"), CancellationToken.None);
        }

        var run = runs[0];
        Assert.Equal("schedule", run.Trigger);
        Assert.EndsWith("-sched", run.RunId, StringComparison.Ordinal);
    }
}

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
        _project.Write("pipelines/every_seven/pipeline.yaml",
            "name: every_seven\ntriggers:\n  - schedule: { every: 7m, anchor: \"2026-11-24T06:03:00\", timezone: Europe/Berlin }\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/every_seven/blocks/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_served_project_starts_its_scheduled_runs_by_itself()
    {
        var (run, _) = (await RunsOfAsync("every_minute"))[0];

        Assert.Equal("schedule", run.Trigger);
        Assert.EndsWith("-sched", run.RunId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interval_schedule_fires_on_its_grid_counted_from_its_anchor_in_its_zone()
    {
        var (run, values) = (await RunsOfAsync("every_seven"))[0];

        // The anchor is 06:03 in Berlin, 05:03 UTC; ticks are whole multiples of 7 minutes after it.
        var anchor = new DateTimeOffset(2026, 11, 24, 5, 3, 0, TimeSpan.Zero);
        var tick = values["scheduled_time"].GetDateTimeOffset();
        Assert.Equal("schedule", run.Trigger);
        Assert.Equal(0, (tick - anchor).Ticks % TimeSpan.FromMinutes(7).Ticks);
        Assert.True(tick > anchor);
        Assert.Equal(Engine.Triggers.Schedules.ScheduledRuns.RunId("every_seven", tick), run.RunId);
        Assert.Equal("7m", values["every"].GetString());
        Assert.Equal("2026-11-24T06:03:00", values["anchor"].GetString());
    }

    // Serves the project with a manual clock and moves it a minute at a time until the pipeline has a run.
    private async Task<List<(RunSummary Run, IReadOnlyDictionary<string, System.Text.Json.JsonElement> Values)>> RunsOfAsync(string pipeline)
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

        // The loop's first check records when it first saw the schedule; each tick the clock passes after that is
        // due. The clock moves a minute at a time until a run appears, so the test does not depend on when the loop
        // armed its wait.
        IReadOnlyList<RunSummary> runs = [];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (runs.Count == 0)
        {
            patience.Token.ThrowIfCancellationRequested();
            await local.Committer.Signal.WaitAsync(TimeSpan.FromMilliseconds(200), patience.Token);
            _clock.Advance(TimeSpan.FromMinutes(1));
            runs = await local.Store.ListRunsAsync(new RunQuery(pipeline), CancellationToken.None);
        }

        var found = new List<(RunSummary, IReadOnlyDictionary<string, System.Text.Json.JsonElement>)>();
        foreach (var run in runs)
        {
            found.Add((run, (await local.Store.GetRunAsync(run.RunId, CancellationToken.None))!.State.TriggerValues));
        }

        return found;
    }
}

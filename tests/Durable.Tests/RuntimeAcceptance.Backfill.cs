using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Triggers.Schedules;

namespace Duraflow.Durable.Tests;

/// <summary>Backfills on each runtime: a run per tick with the scheduler's ids, each once, with its tick as run.scheduled_time.</summary>
public abstract partial class RuntimeAcceptance
{
    [Fact]
    public async Task A_backfill_runs_each_tick_once_with_its_scheduled_time_and_a_second_one_starts_nothing()
    {
        Project.Write("pipelines/nightly/stamp.csx", "return Setting<string>(\"at\");");
        Project.Write("pipelines/nightly/pipeline.yaml", """
            name: nightly
            triggers:
              - schedule: { every: 1d, anchor: "2026-01-01T02:00:00", timezone: America/New_York }
            blocks:
              - { name: stamp, uses: script:stamp.csx, with: { at: "{{ run.scheduled_time }}" } }
            """);
        await using var runtime = await OpenAsync();
        var driver = runtime.Backfills();
        var request = new BackfillRequest("nightly", "2026-03-07", "2026-03-10", null, 1, new Dictionary<string, ParameterInput>(), "test");

        var backfill = await driver.CreateAsync(request, CancellationToken.None);
        var finished = await FinishAsync(runtime, driver, backfill.Id);
        var again = await FinishAsync(runtime, driver, (await driver.CreateAsync(request, CancellationToken.None)).Id);

        // Anchored at 02:00 New York winter time (07:00 UTC), a day of elapsed time apart across the 8 March change.
        DateTimeOffset[] ticks = [new(2026, 3, 7, 7, 0, 0, TimeSpan.Zero), new(2026, 3, 8, 7, 0, 0, TimeSpan.Zero), new(2026, 3, 9, 7, 0, 0, TimeSpan.Zero)];
        Assert.Equal((BackfillStatus.Finished, 3, 3), (finished.Status, finished.Total, finished.Succeeded));
        Assert.Equal(3, again.Existing);
        var runs = await runtime.Engine.Store.ListRunsAsync(new RunQuery("nightly"), CancellationToken.None);
        Assert.Equal(ticks.Select(t => ScheduledRuns.RunId("nightly", t)).Order(StringComparer.Ordinal), runs.Select(r => r.RunId).Order(StringComparer.Ordinal));
        foreach (var tick in ticks)
        {
            var state = await runtime.WaitAsync(ScheduledRuns.RunId("nightly", tick));
            var stamped = System.Text.Json.JsonDocument.Parse(await runtime.OutputAsync(state, "stamp")).RootElement.GetString()!;
            Assert.Equal(tick, DateTimeOffset.Parse(stamped, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    // Steps the backfill each time one of its runs may have ended, until it has finished.
    private static async Task<Backfill> FinishAsync(RuntimeUnderTest runtime, BackfillDriver driver, string id)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var backfill = (await driver.StepAsync(id, limit.Token))!;
            if (backfill.Status != BackfillStatus.Running)
            {
                return backfill;
            }

            foreach (var tick in BackfillRuns.Ticks(backfill).Skip(backfill.Done).Take(backfill.Started - backfill.Done))
            {
                await runtime.WaitAsync(BackfillRuns.RunId(backfill, tick));
            }
        }
    }
}

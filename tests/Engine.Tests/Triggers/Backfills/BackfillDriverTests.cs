using System.Text.Json;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Triggers.Schedules;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Triggers.Backfills;

/// <summary>
/// Backfills on SQLite with real runs: a run per tick with the scheduler's ids, started at most the concurrency at a
/// time, nothing started twice, parameters in their own ids, cancelling, and each refused request naming its field.
/// </summary>
public sealed class BackfillDriverTests : IDisposable
{
    private readonly TempFolder _project = new();

    public BackfillDriverTests()
    {
        _project.Write("duraflow.yaml", "timezone: Europe/Berlin\n");
        _project.Write("pipelines/daily/pipeline.yaml", """
            name: daily
            concurrency: 3
            parameters:
              region: { type: string, default: all }
            triggers:
              - schedule: { cron: "0 6 * * *" }
            blocks:
              - { name: a, uses: script:a.csx }
            """);
        _project.Write("pipelines/daily/a.csx", "return Param<string>(\"region\");\n");
        _project.Write("pipelines/two/pipeline.yaml", """
            name: two
            triggers:
              - schedule: { cron: "0 6 * * *" }
              - schedule: { every: 12h, anchor: "2026-01-01T00:00:00", timezone: UTC }
            blocks:
              - { name: a, uses: script:a.csx }
            """);
        _project.Write("pipelines/two/a.csx", "return 1;\n");
        _project.Write("pipelines/manual/pipeline.yaml", "name: manual\nblocks:\n  - { name: a, uses: script:a.csx }\n");
        _project.Write("pipelines/manual/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    private static Dictionary<string, ParameterInput> NoParameters => new(StringComparer.Ordinal);

    private (DuraflowEngine Engine, BackfillDriver Driver) Open()
    {
        var engine = DuraflowEngine.Open(DuraflowProject.Open(_project.Root));
        var driver = new BackfillDriver(engine.Starter, engine.Store, () => ProjectValidator.Validate(_project.Root), "UTC", TimeProvider.System);
        return (engine, driver);
    }

    // Steps the backfill and works its runs until it has finished; the limit turns a hang into a failure.
    private static async Task<Backfill> FinishAsync(DuraflowEngine engine, BackfillDriver driver, string id)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var backfill = (await driver.StepAsync(id, limit.Token))!;
            if (backfill.Status != BackfillStatus.Running)
            {
                return backfill;
            }

            await engine.DrainAsync(limit.Token);
        }
    }

    [Fact]
    public async Task A_month_of_daily_ticks_runs_once_each_with_the_schedulers_ids_never_more_than_the_concurrency_at_once()
    {
        var (engine, driver) = Open();
        using var _ = engine;

        var created = await driver.CreateAsync(new BackfillRequest("daily", "2026-11-01", "2026-12-01", null, 2, NoParameters, "test"), CancellationToken.None);
        var finished = await FinishAsync(engine, driver, created.Id);
        var again = await driver.CreateAsync(new BackfillRequest("daily", "2026-11-01", "2026-12-01", null, null, NoParameters, "test"), CancellationToken.None);
        var againFinished = await FinishAsync(engine, driver, again.Id);
        var runs = await engine.Store.ListRunsAsync(new RunQuery("daily", Limit: 100), CancellationToken.None);

        Assert.Equal((30, 2, 2), (created.Total, created.Started, created.Concurrency));
        Assert.Equal((BackfillStatus.Finished, 30, 30, 30, 0), (finished.Status, finished.Done, finished.Succeeded, finished.Started, finished.Existing));
        Assert.Equal((3, 30), (again.Concurrency, againFinished.Existing));
        Assert.Equal(30, runs.Count);

        // 06:00 in Berlin: 05:00 UTC in November (winter time), so the ids are the scheduler's for those ticks.
        var ticks = Enumerable.Range(0, 30).Select(d => new DateTimeOffset(2026, 11, 1 + d, 5, 0, 0, TimeSpan.Zero)).ToList();
        Assert.Equal(ticks.Select(t => ScheduledRuns.RunId("daily", t)).Order(StringComparer.Ordinal), runs.Select(r => r.RunId).Order(StringComparer.Ordinal));
        var first = (await engine.Store.GetRunAsync(ScheduledRuns.RunId("daily", ticks[0]), CancellationToken.None))!.State;
        Assert.Equal(("backfill", ticks[0]), (first.Trigger, first.TriggerValues["scheduled_time"].GetDateTimeOffset()));
        Assert.Equal(created.Id, first.TriggerValues["backfill_id"].GetString());

        // Never more than two going at once: at each run's start, fewer than two others had started and not ended.
        var spans = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var run in runs)
        {
            var state = (await engine.Store.GetRunAsync(run.RunId, CancellationToken.None))!.State;
            spans.Add((state.RequestedAt, state.EndedAt!.Value));
        }

        Assert.All(spans, s => Assert.True(spans.Count(o => o.Start <= s.Start && o.End > s.Start) <= 2));
    }

    [Fact]
    public async Task A_run_the_scheduler_started_is_not_started_again_and_parameters_give_runs_of_their_own()
    {
        var (engine, driver) = Open();
        using var _ = engine;
        var tick = new DateTimeOffset(2026, 11, 2, 5, 0, 0, TimeSpan.Zero);
        var validated = ProjectValidator.Validate(_project.Root).Pipelines.Single(p => p.Definition!.Name == "daily");
        await engine.Starter.StartAsync(new RunRequest(validated, RunParameters.Defaults(validated.Definition!).Parameters!, new RunTrigger(RunTrigger.Schedule, new Dictionary<string, JsonElement>()))
        {
            RunId = ScheduledRuns.RunId("daily", tick),
            IdempotencyKey = ScheduledRuns.IdempotencyKey("daily", tick),
        });

        var plain = await driver.CreateAsync(new BackfillRequest("daily", "2026-11-01", "2026-11-04", null, null, NoParameters, "test"), CancellationToken.None);
        var eu = new Dictionary<string, ParameterInput>(StringComparer.Ordinal) { ["region"] = ParameterInput.FromText("eu") };
        var withRegion = await driver.CreateAsync(new BackfillRequest("daily", "2026-11-01", "2026-11-04", null, null, eu, "test"), CancellationToken.None);
        var sameRegion = await driver.CreateAsync(new BackfillRequest("daily", "2026-11-01", "2026-11-04", null, null, eu, "test"), CancellationToken.None);
        await FinishAsync(engine, driver, withRegion.Id);
        var runs = (await engine.Store.ListRunsAsync(new RunQuery("daily", Limit: 100), CancellationToken.None)).Select(r => r.RunId).ToList();

        Assert.Equal(1, plain.Existing);
        Assert.Equal(3, sameRegion.Existing);
        Assert.Equal(6, runs.Count);
        var regional = runs.Where(r => r.Contains("-p", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, regional.Count);
        Assert.All(regional, r => Assert.Matches(@"^daily-202611\d\d-050000-p[0-9a-f]{10}$", r));
        var output = (await engine.Store.GetRunAsync(regional[0], CancellationToken.None))!.State.Block("a").Output;
        Assert.Equal("json:\"eu\"", output);
    }

    [Fact]
    public async Task Cancelling_stops_new_starts_and_cancels_the_runs_going()
    {
        var (engine, driver) = Open();
        using var _ = engine;
        var created = await driver.CreateAsync(new BackfillRequest("daily", "2026-11-01", "2026-11-11", null, 2, NoParameters, "test"), CancellationToken.None);
        var cancelledRuns = new List<string>();

        var (cancelled, changed) = await driver.CancelAsync(created.Id, async (runId, token) =>
        {
            cancelledRuns.Add(runId);
            await engine.Runtime.CancelAsync(runId, "backfill cancelled", token);
        }, CancellationToken.None);
        var (again, changedAgain) = await driver.CancelAsync(created.Id, (_, _) => Task.CompletedTask, CancellationToken.None);
        var stepped = await driver.StepAsync(created.Id, CancellationToken.None);

        Assert.True(changed);
        Assert.False(changedAgain);
        Assert.Equal(BackfillStatus.Cancelled, cancelled!.Status);
        Assert.Equal(2, cancelledRuns.Count);
        Assert.Equal((BackfillStatus.Cancelled, 2), (stepped!.Status, stepped.Started));
        Assert.Equal(2, (await engine.Store.ListRunsAsync(new RunQuery("daily"), CancellationToken.None)).Count);
        Assert.Equal(BackfillStatus.Cancelled, again!.Status);
    }

    [Theory]
    [InlineData("manual", "2026-11-01", "2026-11-02", null, null, "pipeline", "has no schedule trigger")]
    [InlineData("dayly", "2026-11-01", "2026-11-02", null, null, "pipeline", "did you mean 'daily'?")]
    [InlineData("two", "2026-11-01", "2026-11-02", null, null, "schedule", "has 2 schedules; pick one by number (1: 0 6 * * *; 2: every 12h from 2026-01-01T00:00:00)")]
    [InlineData("two", "2026-11-01", "2026-11-02", 3, null, "schedule", "has no schedule 3")]
    [InlineData("daily", "November", "2026-11-02", null, null, "from", "'from' 'November' is not a date and time")]
    [InlineData("daily", "2026-11-02", "2026-11-01", null, null, "to", "must be after 'from'")]
    [InlineData("daily", "2026-11-01T07:00", "2026-11-02T05:00", null, null, "from", "has no tick in")]
    [InlineData("daily", "1990-01-01", "2026-11-01", null, null, "to", "holds more than 10,000 ticks")]
    [InlineData("daily", "2026-11-01", "2099-01-01", null, null, "to", "is in the future; a backfill covers past ticks only")]
    [InlineData("daily", "2026-11-01", "2026-11-02", null, 4, "concurrency", "more than the pipeline's concurrency (3); a backfill can only lower it")]
    [InlineData("daily", "2026-11-01", "2026-11-02", null, 0, "concurrency", "not a number of runs from 1 to 1000")]
    public async Task A_bad_request_is_refused_with_its_field_and_stores_nothing(
        string pipeline, string from, string to, int? schedule, int? concurrency, string field, string says)
    {
        var (engine, driver) = Open();
        using var _ = engine;

        var refused = await Assert.ThrowsAsync<BackfillException>(() =>
            driver.CreateAsync(new BackfillRequest(pipeline, from, to, schedule, concurrency, NoParameters, "test"), CancellationToken.None));

        Assert.Equal(field, refused.Field);
        Assert.Contains(says, refused.Message, StringComparison.Ordinal);
        Assert.Empty(await engine.Store.ListBackfillsAsync(null, runningOnly: false, CancellationToken.None));
        Assert.Empty(await engine.Store.ListRunsAsync(new RunQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_parameter_is_refused_on_the_parameters_field()
    {
        var (engine, driver) = Open();
        using var _ = engine;
        var given = new Dictionary<string, ParameterInput>(StringComparer.Ordinal) { ["regoin"] = ParameterInput.FromText("eu") };

        var refused = await Assert.ThrowsAsync<BackfillException>(() =>
            driver.CreateAsync(new BackfillRequest("daily", "2026-11-01", "2026-11-02", null, null, given, "test"), CancellationToken.None));

        Assert.Equal("parameters", refused.Field);
        Assert.Contains("regoin", refused.Message, StringComparison.Ordinal);
    }
}

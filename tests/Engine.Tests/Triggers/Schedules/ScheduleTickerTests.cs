using System.Globalization;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Tests.Secrets;
using Duraflow.Engine.Triggers.Schedules;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Triggers.Schedules;

/// <summary>
/// The ticker over a real store: runs named after (pipeline, tick), no double start when a tick is handled twice or
/// by two tickers at once, catch-up after downtime, problems reported without stopping other pipelines, and the
/// schedule marks' version check. Each store runs this suite through a subclass.
/// </summary>
public abstract class ScheduleTickerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly List<IDisposable> _opened = [];

    /// <summary>A new handle on this test's store: the first call creates it, later calls share its data, as another process would.</summary>
    private protected abstract (IRunStore Store, IWorkQueues Queues, IScheduleMarks Marks) Open();

    /// <summary>Removes what <see cref="Open"/> made.</summary>
    protected virtual void Cleanup()
    {
    }

    public void Dispose()
    {
        foreach (var opened in _opened)
        {
            opened.Dispose();
        }

        Cleanup();
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Marks_move_only_under_the_version_that_was_read()
    {
        var (_, _, marks) = Open();
        Assert.Null(await marks.GetScheduleMarkAsync("p", "0 6 * * *@Europe/Berlin", CancellationToken.None));

        Assert.True(await marks.TrySetScheduleMarkAsync("p", "0 6 * * *@Europe/Berlin", T0, T0.AddDays(1), null, CancellationToken.None));
        Assert.False(await marks.TrySetScheduleMarkAsync("p", "0 6 * * *@Europe/Berlin", T0.AddHours(1), null, null, CancellationToken.None));
        var first = (await marks.GetScheduleMarkAsync("p", "0 6 * * *@Europe/Berlin", CancellationToken.None))!;
        Assert.Equal(T0, first.HandledThrough);
        Assert.Equal(T0.AddDays(1), first.Next);

        Assert.True(await marks.TrySetScheduleMarkAsync("p", "0 6 * * *@Europe/Berlin", T0.AddMinutes(1), null, first.Version, CancellationToken.None));
        Assert.False(await marks.TrySetScheduleMarkAsync("p", "0 6 * * *@Europe/Berlin", T0.AddMinutes(2), null, first.Version, CancellationToken.None));
        var second = (await marks.GetScheduleMarkAsync("p", "0 6 * * *@Europe/Berlin", CancellationToken.None))!;
        Assert.Equal(T0.AddMinutes(1), second.HandledThrough);
        Assert.Null(second.Next);
        Assert.NotEqual(first.Version, second.Version);
        Assert.Null(await marks.GetScheduleMarkAsync("p", "0 7 * * *@Europe/Berlin", CancellationToken.None));
    }

    [Fact]
    public async Task A_due_tick_starts_a_run_named_after_the_pipeline_and_tick_with_what_the_schedule_knows()
    {
        var ticker = Ticker(Project(Pipeline("hourly", "0 * * * *", "Europe/Berlin")));

        var firstSight = await ticker.TickAsync(T0.AddSeconds(-50));
        var report = await ticker.TickAsync(T0.AddSeconds(4));

        Assert.Empty(firstSight.Started);
        var start = Assert.Single(report.Started);
        Assert.Equal(new ScheduledStart("hourly", "0 * * * *@Europe/Berlin", T0, "hourly-20261124-060000-sched"), start);
        var state = (await _engine!.Store.GetRunAsync(start.RunId, CancellationToken.None))!.State;
        Assert.Equal("schedule", state.Trigger);
        Assert.Equal(T0, state.TriggerValues["scheduled_time"].GetDateTimeOffset());
        Assert.Equal("0 * * * *", state.TriggerValues["cron"].GetString());
        Assert.Equal("Europe/Berlin", state.TriggerValues["timezone"].GetString());
        Assert.Equal(start.RunId, await _engine.Store.FindRunByIdempotencyKeyAsync("schedule:hourly:2026-11-24T06:00:00.0000000+00:00", CancellationToken.None));
    }

    [Fact]
    public async Task A_schedule_without_a_time_zone_ticks_in_the_project_default()
    {
        var ticker = Ticker(Project(Pipeline("daily", "0 6 * * *", null)), "America/New_York");

        await ticker.TickAsync(T0.AddHours(4));
        var report = await ticker.TickAsync(T0.AddHours(5).AddSeconds(2));

        Assert.Equal([("daily-20261124-110000-sched", T0.AddHours(5))], report.Started.Select(s => (s.RunId, s.ScheduledTime)));
    }

    [Fact]
    public async Task The_time_zone_of_the_validated_duraflow_yaml_wins_over_the_one_the_ticker_was_made_with()
    {
        // A server made its ticker with duraflow.yaml's zone at start; the file now says America/New_York.
        var ticker = Ticker(Project(Pipeline("daily", "0 6 * * *", null)) with { TimeZone = "America/New_York" }, "UTC");

        await ticker.TickAsync(T0.AddHours(4));
        var report = await ticker.TickAsync(T0.AddHours(5).AddSeconds(2));

        Assert.Equal([("daily-20261124-110000-sched", T0.AddHours(5))], report.Started.Select(s => (s.RunId, s.ScheduledTime)));
    }

    [Fact]
    public async Task A_tick_handled_again_after_a_crash_before_the_mark_moved_starts_no_second_run()
    {
        var (store, queues, marks) = Open();
        var engine = Engine(store, queues);
        var project = Project(Pipeline("hourly", "0 * * * *", "UTC"));
        await new ScheduleTicker(engine.Starter(), marks, () => project, "UTC").TickAsync(T0.AddMinutes(-1));

        // The first check starts the run and dies before its mark is written; the next check sees the old mark.
        var crashing = new ScheduleTicker(engine.Starter(), new MarksThatNeverMove(marks), () => project, "UTC");
        var beforeCrash = await crashing.TickAsync(T0.AddSeconds(2));
        var afterCrash = await new ScheduleTicker(engine.Starter(), marks, () => project, "UTC").TickAsync(T0.AddSeconds(62));

        Assert.Equal(beforeCrash.Started.Select(s => s.RunId), afterCrash.Started.Select(s => s.RunId));
        Assert.Single(await store.ListRunsAsync(new RunQuery(Limit: 100), CancellationToken.None));
    }

    [Fact]
    public async Task Two_tickers_checking_at_the_same_time_start_each_tick_once()
    {
        var project = Project(Pipeline("often", "* * * * *", "UTC"), Pipeline("fives", "*/5 * * * *", "Europe/Berlin", CatchUpPolicy.All));
        var tickers = new[] { Open(), Open() }.Select(o => new ScheduleTicker(Engine(o.Store, o.Queues).Starter(), o.Marks, () => project, "UTC")).ToArray();
        await tickers[0].TickAsync(T0.AddSeconds(-30));

        var started = new List<ScheduledStart>();
        for (var minute = 0; minute < 20; minute++)
        {
            // Both see the same minute, one a little later than the other, as two timer invocations of one tick would.
            var now = T0.AddMinutes(minute).AddSeconds(1);
            var reports = await Task.WhenAll(
                Task.Run(() => tickers[0].TickAsync(now)),
                Task.Run(() => tickers[1].TickAsync(now.AddMilliseconds(minute % 3 * 300))));
            Assert.All(reports, r => Assert.Empty(r.Problems));
            started.AddRange(reports.SelectMany(r => r.Started));
        }

        var runs = await Open().Store.ListRunsAsync(new RunQuery(Limit: 1000), CancellationToken.None);
        var expected = Enumerable.Range(0, 20).Select(m => $"often-{T0.AddMinutes(m):yyyyMMdd-HHmm}00-sched")
            .Concat(Enumerable.Range(0, 4).Select(i => $"fives-{T0.AddMinutes(5 * i):yyyyMMdd-HHmm}00-sched"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), runs.Select(r => r.RunId).Order(StringComparer.Ordinal));
        Assert.Equal(runs.Select(r => r.RunId).Order(StringComparer.Ordinal), started.Select(s => s.RunId).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(CatchUpPolicy.None, new string[0])]
    [InlineData(CatchUpPolicy.Latest, new[] { "0900" })]
    [InlineData(CatchUpPolicy.All, new[] { "0700", "0800", "0900" })]
    public async Task After_downtime_the_catch_up_policy_decides_which_missed_ticks_run(object policy, string[] expected)
    {
        var ticker = Ticker(Project(Pipeline("hourly", "0 * * * *", "UTC", (CatchUpPolicy)policy)));
        await ticker.TickAsync(T0.AddSeconds(30));

        var report = await ticker.TickAsync(T0.AddHours(3.5));
        var again = await ticker.TickAsync(T0.AddHours(3.5).AddMinutes(1));

        Assert.Equal(expected.Select(hhmm => $"hourly-20261124-{hhmm}00-sched"), report.Started.Select(s => s.RunId));
        Assert.Equal((CatchUpPolicy)policy == CatchUpPolicy.All ? 0 : 1, report.Skipped.Count);
        Assert.Empty(again.Started);
        Assert.Equal(expected.Length, (await _engine!.Store.ListRunsAsync(new RunQuery(Limit: 100), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Pipelines_that_cannot_start_are_reported_keep_their_marks_and_do_not_stop_the_others()
    {
        var broken = PipelineFixture.Check("name: broken\ntriggers:\n  - schedule: { cron: \"0 * * * *\" }\nblocks:\n  - { name: x, uses: no.such.block }\n");
        var needsDay = PipelineFixture.Check(
            "name: needs_day\nparameters:\n  day: { type: date, required: true }\ntriggers:\n  - schedule: { cron: \"0 * * * *\" }\nblocks:\n  - { name: x, uses: csv.read, with: { path: a.csv } }\n");
        Assert.False(broken.IsValid);
        Assert.True(needsDay.IsValid, string.Join("\n", needsDay.Diagnostics));
        var (store, queues, marks) = Open();
        var ticker = new ScheduleTicker(Engine(store, queues).Starter(), marks, () => Project(broken, needsDay, Pipeline("fine", "0 * * * *", "UTC")), "UTC");

        await ticker.TickAsync(T0.AddMinutes(-1));
        var report = await ticker.TickAsync(T0.AddSeconds(5));

        Assert.Equal(["fine-20261124-060000-sched"], report.Started.Select(s => s.RunId));
        Assert.Equal(["broken", "needs_day"], report.Problems.Select(p => p.Pipeline));
        Assert.Contains("day", report.Problems[1].Message, StringComparison.Ordinal);
        Assert.Null(await marks.GetScheduleMarkAsync("broken", "0 * * * *@UTC", CancellationToken.None));
        Assert.Null(await marks.GetScheduleMarkAsync("needs_day", "0 * * * *@UTC", CancellationToken.None));
    }

    [Fact]
    public async Task A_pipeline_is_paused_once_however_many_ask_at_once_and_resumed_once()
    {
        var pauses = (ISchedulePauses)Open().Store;

        var paused = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            pauses.PauseSchedulesAsync(new SchedulePause("p", default, $"user{i}", $"reason {i}"), CancellationToken.None)));

        var kept = Assert.Single(paused, r => r.Added).Pause;
        Assert.All(paused, r => Assert.Equal((kept.Pipeline, kept.By, kept.Reason), (r.Pause.Pipeline, r.Pause.By, r.Pause.Reason)));
        var listed = Assert.Single(await pauses.ListSchedulePausesAsync(CancellationToken.None));
        Assert.Equal(("p", kept.By, kept.Reason), (listed.Pipeline, listed.By, listed.Reason));

        var resumed = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => pauses.ResumeSchedulesAsync("p", CancellationToken.None)));

        Assert.Equal(kept.By, Assert.Single(resumed, r => r is not null)!.By);
        Assert.Empty(await pauses.ListSchedulePausesAsync(CancellationToken.None));
        Assert.Null(await pauses.ResumeSchedulesAsync("p", CancellationToken.None));
    }

    [Fact]
    public async Task A_paused_pipeline_starts_nothing_and_once_resumed_its_missed_ticks_follow_its_catch_up()
    {
        var project = Project(Pipeline("hourly", "0 * * * *", "UTC", CatchUpPolicy.Latest), Pipeline("other", "0 * * * *", "UTC"));
        var ticker = Ticker(project);
        var pauses = (ISchedulePauses)Open().Store;
        await ticker.TickAsync(T0.AddMinutes(-1));
        await pauses.PauseSchedulesAsync(new SchedulePause("hourly", default, "test", null), CancellationToken.None);

        var whilePaused = await ticker.TickAsync(T0.AddSeconds(30));
        var stillPaused = await ticker.TickAsync(T0.AddHours(2).AddSeconds(30));

        Assert.Equal(["other-20261124-060000-sched"], whilePaused.Started.Select(s => s.RunId));
        Assert.Equal(["hourly"], whilePaused.Paused);
        Assert.DoesNotContain(stillPaused.Started, s => s.Pipeline == "hourly");
        Assert.Equal(T0.AddMinutes(-1), (await Open().Marks.GetScheduleMarkAsync("hourly", "0 * * * *@UTC", CancellationToken.None))!.HandledThrough);

        await pauses.ResumeSchedulesAsync("hourly", CancellationToken.None);
        var resumed = await ticker.TickAsync(T0.AddHours(3).AddMinutes(30));

        // catch_up: latest. 06:00 to 09:00 were missed while paused: the newest starts, the rest are dropped.
        Assert.Equal(["hourly-20261124-090000-sched"], resumed.Started.Where(s => s.Pipeline == "hourly").Select(s => s.RunId));
        var dropped = Assert.Single(resumed.Skipped, s => s.Pipeline == "hourly");
        Assert.Equal((T0, T0.AddHours(2)), (dropped.First, dropped.Last));
        Assert.Empty(resumed.Paused);
    }

    [Fact]
    public async Task A_scheduled_run_not_started_within_its_start_sla_misses_it_once_from_its_tick()
    {
        var pipeline = PipelineFixture.Check(
            "name: late\ntriggers:\n  - schedule: { cron: \"0 * * * *\", start_sla: 30s }\nblocks:\n  - { name: x, uses: csv.read, with: { path: a.csv } }\n");
        Assert.True(pipeline.IsValid, string.Join("\n", pipeline.Diagnostics));
        var ticker = Ticker(Project(pipeline));
        await ticker.TickAsync(T0.AddSeconds(-50));

        // Noticed 4 s after its tick: the SLA still counts from the tick.
        var runId = Assert.Single((await ticker.TickAsync(T0.AddSeconds(4))).Started).RunId;

        var (_, queues, _) = Open();
        var messages = await queues.DequeueAsync(WorkQueues.Orchestration, 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        var timer = messages.Select(WorkMessages.Read<WorkMessages.OrchestrationWork>).Select(m => m.Event).OfType<SlaMissed>().Single();
        Assert.Equal((T0.AddSeconds(30), true), (timer.At, timer.Start));
        Assert.Contains(messages, m => m.Key == $"{runId}/sla/0/start");

        // Still waiting for its slot when the timer fires: missed, once; the run stays pending and goes on.
        var missed = await _engine!.ApplyAsync(runId, TimerEvents.FiredAt(timer, T0.AddSeconds(30)));
        var again = await _engine.ApplyAsync(runId, TimerEvents.FiredAt(timer, T0.AddSeconds(31)));

        Assert.True(missed.Accepted);
        Assert.False(again.Accepted);
        Assert.Equal(RunStatus.Pending, missed.State.Status);
        Assert.Equal(["start"], missed.State.SlasMissed);
    }

    private RunCommitter? _engine;

    private ScheduleTicker Ticker(ProjectValidation project, string defaultTimeZone = "UTC")
    {
        var (store, queues, marks) = Open();
        _engine = Engine(store, queues);
        return new ScheduleTicker(_engine.Starter(), marks, () => project, defaultTimeZone, pauses: store as ISchedulePauses);
    }

    private RunCommitter Engine(IRunStore store, IWorkQueues queues)
    {
        if (store is IDisposable disposable)
        {
            _opened.Add(disposable);
        }

        return new RunCommitter(store, queues, new LocalArtifactStore(_folder.PathOf("artifacts")), time: new ManualTime());
    }

    private static ProjectValidation Project(params ValidatedPipeline[] pipelines) => new(pipelines, []);

    private static ValidatedPipeline Pipeline(string name, string cron, string? zone, CatchUpPolicy policy = CatchUpPolicy.Latest)
    {
        var timezone = zone is null ? "" : $", timezone: {zone}";
        var catchUp = policy.ToString().ToLower(CultureInfo.InvariantCulture);
        var pipeline = PipelineFixture.Check(
            $"name: {name}\ntriggers:\n  - schedule: {{ cron: \"{cron}\"{timezone}, catch_up: {catchUp} }}\nblocks:\n  - {{ name: x, uses: csv.read, with: {{ path: a.csv }} }}\n");
        Assert.True(pipeline.IsValid, string.Join("\n", pipeline.Diagnostics));
        return pipeline;
    }

    // Marks whose writes report success and keep nothing: a process that dies after starting runs, before its mark is stored.
    private sealed class MarksThatNeverMove(IScheduleMarks inner) : IScheduleMarks
    {
        public Task<ScheduleMark?> GetScheduleMarkAsync(string pipeline, string schedule, CancellationToken cancellationToken) =>
            inner.GetScheduleMarkAsync(pipeline, schedule, cancellationToken);

        public Task<bool> TrySetScheduleMarkAsync(
            string pipeline, string schedule, DateTimeOffset handledThrough, DateTimeOffset? nextTick, string? expectedVersion, CancellationToken cancellationToken) =>
            Task.FromResult(true);
    }
}

using Duraflow.Engine.Definitions;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Engine.Triggers.Schedules;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Triggers.Schedules;

/// <summary>
/// What <c>duraflow schedules</c> and the schedule endpoints share: the listing with marks, pauses and next ticks,
/// and the refusals of a pause or resume that names no pipeline with schedules.
/// </summary>
public sealed class ScheduleControlTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly SqliteStore _store;

    public ScheduleControlTests() => _store = SqliteStore.Open(_folder.PathOf("store.db"));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private ScheduleControl Control(params ValidatedPipeline[] pipelines) => new(_store, new ProjectValidation(pipelines, []), "Europe/Berlin");

    private static ValidatedPipeline Pipeline(string name, string triggers) =>
        PipelineFixture.Check($"name: {name}\n{triggers}blocks:\n  - {{ name: x, uses: csv.read, with: {{ path: a.csv }} }}\n");

    private static ValidatedPipeline Daily(string name) =>
        Pipeline(name, "triggers:\n  - schedule: { cron: \"30 6 * * *\", catch_up: all }\n  - schedule: { cron: \"30 6 * * *\" }\n  - schedule: { cron: \"0 0 1 * *\", timezone: UTC }\n");

    [Fact]
    public async Task The_listing_has_each_distinct_schedule_with_its_zone_mark_next_ticks_and_the_pause()
    {
        var control = Control(Daily("daily"), Pipeline("manual", ""));
        await _store.TrySetScheduleMarkAsync("daily", "30 6 * * *@Europe/Berlin", T0, null, null, CancellationToken.None);
        await control.PauseAsync("daily", "cli:ada", "  warehouse maintenance  ", CancellationToken.None);

        var listed = Assert.Single(await control.ListAsync(T0, CancellationToken.None));

        Assert.Equal("daily", listed.Pipeline);
        Assert.Equal(("cli:ada", "warehouse maintenance"), (listed.Paused!.By, listed.Paused.Reason));
        Assert.Equal(2, listed.Schedules.Count);
        var berlin = listed.Schedules[0];
        Assert.Equal(("30 6 * * *", "Europe/Berlin", CatchUpPolicy.All, (DateTimeOffset?)T0), (berlin.Trigger.Cron, berlin.TimeZone, berlin.CatchUp, berlin.HandledThrough));

        // 06:30 in Berlin is 05:30 UTC in November: the next five are the following days'.
        Assert.Equal(Enumerable.Range(1, 5).Select(d => new DateTimeOffset(2026, 11, 24 + d, 5, 30, 0, TimeSpan.Zero)), berlin.Next);
        Assert.Null(listed.Schedules[1].HandledThrough);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), listed.Schedules[1].Next[0]);
    }

    [Fact]
    public async Task Pausing_twice_keeps_the_first_pause_and_resuming_twice_resumes_once()
    {
        var control = Control(Daily("daily"));

        var first = await control.PauseAsync("daily", "cli:ada", "first", CancellationToken.None);
        var second = await control.PauseAsync("daily", "api-key", null, CancellationToken.None);

        Assert.True(first.Added);
        Assert.False(second.Added);
        Assert.Equal(("cli:ada", "first"), (second.Pause.By, second.Pause.Reason));
        Assert.Equal("cli:ada", (await control.ResumeAsync("daily", CancellationToken.None))!.By);
        Assert.Null(await control.ResumeAsync("daily", CancellationToken.None));
    }

    [Theory]
    [InlineData("daly", true, "the project has no pipeline 'daly'; did you mean 'daily'?")]
    [InlineData("manual", false, "pipeline 'manual' has no schedule trigger; pipelines with schedules: daily")]
    [InlineData("../../etc/passwd", true, "the project has no pipeline '../../etc/passwd'")]
    public async Task A_pause_or_resume_of_no_pipeline_with_schedules_is_refused_with_the_ones_that_have_some(string name, bool notFound, string says)
    {
        var control = Control(Daily("daily"), Pipeline("manual", ""));

        var pause = await Assert.ThrowsAsync<ScheduleControlException>(() => control.PauseAsync(name, "cli:ada", null, CancellationToken.None));
        var resume = await Assert.ThrowsAsync<ScheduleControlException>(() => control.ResumeAsync(name, CancellationToken.None));

        Assert.All([pause, resume], e => Assert.StartsWith(says, e.Message, StringComparison.Ordinal));
        Assert.All([pause, resume], e => Assert.Equal((notFound, "pipeline"), (e.NotFound, e.Field)));
        Assert.Empty(await _store.ListSchedulePausesAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("LONG", "at most 500")]
    [InlineData("two\nlines", "control character")]
    [InlineData("\u001b[31mred", "control character")]
    public async Task A_reason_too_long_or_with_control_characters_is_refused_and_nothing_is_paused(string reason, string says)
    {
        var control = Control(Daily("daily"));
        reason = reason == "LONG" ? new string('x', ScheduleControl.MaxReasonLength + 1) : System.Text.RegularExpressions.Regex.Unescape(reason);

        var refused = await Assert.ThrowsAsync<ScheduleControlException>(() => control.PauseAsync("daily", "cli:ada", reason, CancellationToken.None));

        Assert.Equal("reason", refused.Field);
        Assert.Contains(says, refused.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ListSchedulePausesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Resuming_a_name_no_pipeline_could_have_is_refused_before_the_store_is_asked()
    {
        var refused = await Assert.ThrowsAsync<ScheduleControlException>(
            () => Control(Daily("daily")).ResumeAsync(new string('p', 5000), CancellationToken.None));

        Assert.True(refused.NotFound);
    }

    [Fact]
    public async Task A_paused_pipeline_taken_out_of_the_project_can_still_be_resumed()
    {
        await Control(Daily("daily")).PauseAsync("daily", "cli:ada", null, CancellationToken.None);

        var resumed = await Control(Pipeline("manual", "")).ResumeAsync("daily", CancellationToken.None);

        Assert.Equal("daily", resumed!.Pipeline);
        Assert.Empty(await _store.ListSchedulePausesAsync(CancellationToken.None));
    }
}

using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Triggers.Schedules;

namespace Duraflow.Engine.Tests.Triggers.Schedules;

/// <summary>
/// Interval schedules (<c>every</c>, <c>anchor</c>): the grid in elapsed time across daylight-saving changes, the
/// anchor in the schedule's zone or with its own offset, the catch-up policies, and what the reader refuses.
/// </summary>
public sealed class IntervalScheduleTests
{
    private static ScheduleTrigger Every(TimeSpan every, string anchor = ScheduleInterval.DefaultAnchor, string? zone = "UTC", CatchUpPolicy policy = CatchUpPolicy.All) =>
        new(null, zone, policy, new SourceLocation("p/pipeline.yaml", 1, 1)) { Interval = new ScheduleInterval(every, anchor) };

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Ticks_fall_on_the_anchor_plus_whole_intervals_and_not_before_the_anchor()
    {
        var ticks = ScheduleTicks.Of(Every(TimeSpan.FromMinutes(15), "2026-01-01T00:05:00"), "UTC");

        Assert.Equal([Utc(3, 2, 6, 5), Utc(3, 2, 6, 20), Utc(3, 2, 6, 35)], ticks.Between(Utc(3, 2, 6, 5), fromInclusive: true, Utc(3, 2, 6, 35)));
        Assert.Equal([Utc(3, 2, 6, 20)], ticks.Between(Utc(3, 2, 6, 5), fromInclusive: false, Utc(3, 2, 6, 34)));
        Assert.Equal(Utc(3, 2, 6, 20), ticks.NextAfter(Utc(3, 2, 6, 5)));
        Assert.Equal(Utc(3, 2, 6, 5), ticks.LastBefore(Utc(3, 2, 5), Utc(3, 2, 6, 20)));
        Assert.Null(ticks.LastBefore(Utc(3, 2, 6, 5), Utc(3, 2, 6, 20)));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 5, 0, TimeSpan.Zero), ticks.NextAfter(Utc(1, 1, 0).AddYears(-1)));
        Assert.Null(ticks.LastBefore(Utc(1, 1, 0).AddYears(-1), new DateTimeOffset(2026, 1, 1, 0, 5, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_daily_interval_keeps_24_hours_of_elapsed_time_across_both_daylight_saving_changes_in_berlin()
    {
        var ticks = ScheduleTicks.Of(Every(TimeSpan.FromDays(1), "2026-03-27T06:00:00", "Europe/Berlin"), "UTC");
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        // 29 March 2026: clocks go from 02:00 to 03:00. 25 October: from 03:00 back to 02:00.
        var spring = ticks.Between(Utc(3, 26, 0), true, Utc(3, 31, 0)).ToList();
        var autumn = ticks.Between(Utc(10, 23, 0), true, Utc(10, 27, 0)).ToList();

        Assert.All(spring.Zip(spring.Skip(1)), pair => Assert.Equal(TimeSpan.FromDays(1), pair.Second - pair.First));
        Assert.Equal(["06:00", "06:00", "07:00", "07:00"], spring.Select(t => TimeZoneInfo.ConvertTime(t, berlin).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["07:00", "07:00", "06:00", "06:00"], autumn.Select(t => TimeZoneInfo.ConvertTime(t, berlin).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_local_anchor_is_read_in_the_zone_and_one_with_an_offset_as_written()
    {
        var newYork = ScheduleTicks.Of(Every(TimeSpan.FromHours(1), "2026-01-01T00:30:00", "America/New_York"), "UTC");
        var offset = ScheduleTicks.Of(Every(TimeSpan.FromHours(1), "2026-01-01T00:30:00+01:00", "America/New_York"), "UTC");
        var projectZone = ScheduleTicks.Of(Every(TimeSpan.FromHours(1), "2026-01-01T00:30:00", zone: null), "Asia/Kolkata");

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 5, 30, 0, TimeSpan.Zero), newYork.NextAfter(Utc(1, 1, 0).AddDays(-1)));
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 23, 30, 0, TimeSpan.Zero), offset.NextAfter(Utc(1, 1, 0).AddDays(-1)));
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 19, 0, 0, TimeSpan.Zero), projectZone.NextAfter(Utc(1, 1, 0).AddDays(-1)));
    }

    [Fact]
    public void An_anchor_in_a_skipped_hour_moves_to_the_end_of_the_gap()
    {
        var ticks = ScheduleTicks.Of(Every(TimeSpan.FromDays(1), "2026-03-29T02:30:00", "Europe/Berlin"), "UTC");

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), ticks.NextAfter(Utc(3, 28, 0)));
    }

    [Theory]
    [InlineData(CatchUpPolicy.All, 4)]
    [InlineData(CatchUpPolicy.Latest, 1)]
    [InlineData(CatchUpPolicy.None, 0)]
    public void Missed_ticks_follow_the_catch_up_policy_like_a_crons(object policy, int starts)
    {
        var trigger = Every(TimeSpan.FromMinutes(15), policy: (CatchUpPolicy)policy);

        // Down from 06:01 to 07:07: 06:15, 06:30, 06:45 and 07:00 were missed.
        var evaluation = ScheduleEvaluator.Evaluate(trigger, "UTC", Utc(3, 2, 6, 1), Utc(3, 2, 7, 7));

        Assert.Equal(starts, evaluation.Due.Count);
        Assert.Equal(Utc(3, 2, 7, 15), evaluation.Next);
        if (starts > 0)
        {
            Assert.Equal(Utc(3, 2, 7, 0), evaluation.Due[^1]);
        }
    }

    [Fact]
    public void The_words_and_the_marks_name_say_what_the_interval_is()
    {
        var trigger = Every(TimeSpan.FromMinutes(90), "2026-01-01T06:00:00");

        Assert.Equal("every 1h30m from 2026-01-01T06:00:00", trigger.Text);
        Assert.Equal("Every 1h30m of elapsed time, counted from 2026-01-01 06:00:00", ScheduleWords.Describe(trigger));
        Assert.Equal("every 1h30m from 2026-01-01T06:00:00@UTC", ScheduledRuns.ScheduleKey(trigger.Text, "UTC"));
    }

    [Theory]
    [InlineData("{ every: 15m, anchor: '2026-01-01T00:00:00', timezone: Europe/Berlin, catch_up: all }", null)]
    [InlineData("{ every: 1d }", null)]
    [InlineData("{ every: 15m, cron: '* * * * *' }", "3:24: error DF017: a schedule trigger takes 'cron' or 'every', not both")]
    [InlineData("{ timezone: UTC }", "3:15: error DF010: a schedule trigger needs 'cron' (as in cron: \"0 6 * * *\") or 'every'")]
    [InlineData("{ every: 500ms }", "3:24: error DF017: 'every' is 500ms; an interval schedule fires every 1s to 366d")]
    [InlineData("{ every: 400d }", "3:24: error DF017: 'every' is 400d")]
    [InlineData("{ every: often }", "3:24: error DF006: 'every' 'often' is not a duration")]
    [InlineData("{ every: 1h, anchor: yesterday }", "3:36: error DF017: 'anchor' 'yesterday' is not a date and time")]
    [InlineData("{ every: 1h, anchor: '2026-02-30T00:00:00' }", "3:36: error DF017: 'anchor' '2026-02-30T00:00:00' is not a date and time")]
    [InlineData("{ cron: '0 6 * * *', anchor: '2026-01-01' }", "3:44: error DF017: 'anchor' counts an interval schedule's ticks; a cron schedule has none")]
    public void Interval_triggers_are_read_or_refused_where_they_are_written(string schedule, string? expected)
    {
        var result = PipelineFixture.Check($"name: p\ntriggers:\n  - schedule: {schedule}\nblocks:\n  - {{ name: a, uses: csv.read, with: {{ path: a.csv }} }}\n");

        if (expected is null)
        {
            Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
            Assert.NotNull(Assert.IsType<ScheduleTrigger>(Assert.Single(result.Definition!.Triggers)).Interval);
        }
        else
        {
            Assert.False(result.IsValid);
            Assert.Contains(result.Diagnostics, d => d.ToString().StartsWith($"p/pipeline.yaml:{expected}", StringComparison.Ordinal));
        }
    }
}

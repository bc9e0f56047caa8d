using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Triggers.Schedules;

namespace Duraflow.Engine.Tests.Triggers.Schedules;

/// <summary>
/// Which ticks a schedule starts: first sight, on-time ticks, each catch-up policy after an outage, the cap, and
/// daylight-saving changes in Europe/Berlin and America/New_York checked by a fake clock ticking every minute.
/// </summary>
public sealed class ScheduleEvaluatorTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(CatchUpPolicy.None)]
    [InlineData(CatchUpPolicy.Latest)]
    [InlineData(CatchUpPolicy.All)]
    public void First_sight_starts_nothing_and_marks_now(object policy)
    {
        var now = Monday.AddHours(6).AddSeconds(3);

        var evaluation = ScheduleEvaluator.Evaluate(Trigger("0 * * * *", "UTC", (CatchUpPolicy)policy), "UTC", null, now);

        Assert.Empty(evaluation.Due);
        Assert.Equal(now, evaluation.HandledThrough);
        Assert.Equal(Monday.AddHours(7), evaluation.Next);
    }

    [Theory]
    [InlineData(CatchUpPolicy.None)]
    [InlineData(CatchUpPolicy.Latest)]
    [InlineData(CatchUpPolicy.All)]
    public void A_tick_noticed_within_the_grace_starts_whatever_the_policy(object policy)
    {
        var evaluation = ScheduleEvaluator.Evaluate(
            Trigger("0 * * * *", "UTC", (CatchUpPolicy)policy), "UTC", Monday.AddHours(5).AddMinutes(59), Monday.AddHours(6).AddSeconds(90));

        Assert.Equal([Monday.AddHours(6)], evaluation.Due);
        Assert.Equal(Monday.AddHours(6).AddSeconds(90), evaluation.HandledThrough);
        Assert.Null(evaluation.SkippedFirst);
    }

    [Fact]
    public void A_tick_exactly_at_now_is_due_and_not_due_again_from_the_new_mark()
    {
        var trigger = Trigger("0 6 * * *", "UTC", CatchUpPolicy.None);
        var first = ScheduleEvaluator.Evaluate(trigger, "UTC", Monday.AddHours(5).AddMinutes(59), Monday.AddHours(6));
        var again = ScheduleEvaluator.Evaluate(trigger, "UTC", first.HandledThrough, Monday.AddHours(6).AddMinutes(1));

        Assert.Equal([Monday.AddHours(6)], first.Due);
        Assert.Empty(again.Due);
    }

    [Fact]
    public void After_an_outage_none_drops_every_missed_tick()
    {
        // Down from 06:00:30 to 09:30:00: ticks 07:00, 08:00 and 09:00 were missed, 09:00 by more than the grace.
        var evaluation = ScheduleEvaluator.Evaluate(Trigger("0 * * * *", "UTC", CatchUpPolicy.None), "UTC", Monday.AddHours(6).AddSeconds(30), Monday.AddHours(9.5));

        Assert.Empty(evaluation.Due);
        Assert.Equal(Monday.AddHours(9.5), evaluation.HandledThrough);
        Assert.Equal(Monday.AddHours(7), evaluation.SkippedFirst);
        Assert.Equal(Monday.AddHours(9), evaluation.SkippedLast);
    }

    [Fact]
    public void After_an_outage_latest_starts_the_newest_missed_tick_once()
    {
        var trigger = Trigger("0 * * * *", "UTC", CatchUpPolicy.Latest);
        var evaluation = ScheduleEvaluator.Evaluate(trigger, "UTC", Monday.AddHours(6).AddSeconds(30), Monday.AddHours(9.5));
        var next = ScheduleEvaluator.Evaluate(trigger, "UTC", evaluation.HandledThrough, Monday.AddHours(9.5).AddMinutes(1));

        Assert.Equal([Monday.AddHours(9)], evaluation.Due);
        Assert.Equal(Monday.AddHours(7), evaluation.SkippedFirst);
        Assert.Equal(Monday.AddHours(8), evaluation.SkippedLast);
        Assert.Empty(next.Due);
    }

    [Fact]
    public void After_an_outage_latest_prefers_an_on_time_tick_to_a_missed_one()
    {
        // Back up at 09:00:20: 09:00 is on time, so the missed 07:00 and 08:00 are both superseded by it.
        var evaluation = ScheduleEvaluator.Evaluate(
            Trigger("0 * * * *", "UTC", CatchUpPolicy.Latest), "UTC", Monday.AddHours(6).AddSeconds(30), Monday.AddHours(9).AddSeconds(20));

        Assert.Equal([Monday.AddHours(9)], evaluation.Due);
        Assert.Equal(Monday.AddHours(7), evaluation.SkippedFirst);
        Assert.Equal(Monday.AddHours(8), evaluation.SkippedLast);
    }

    [Fact]
    public void After_an_outage_all_starts_every_missed_tick_oldest_first()
    {
        var evaluation = ScheduleEvaluator.Evaluate(Trigger("0 * * * *", "UTC", CatchUpPolicy.All), "UTC", Monday.AddHours(6).AddSeconds(30), Monday.AddHours(9.5));

        Assert.Equal([Monday.AddHours(7), Monday.AddHours(8), Monday.AddHours(9)], evaluation.Due);
        Assert.Equal(Monday.AddHours(9.5), evaluation.HandledThrough);
        Assert.Null(evaluation.SkippedFirst);
    }

    [Fact]
    public void All_starts_at_most_the_cap_per_check_and_continues_from_there_at_the_next()
    {
        var trigger = Trigger("*/5 * * * *", "UTC", CatchUpPolicy.All);
        var options = new ScheduleOptions { MaxStartsPerTick = 10 };
        var now = Monday.AddHours(2).AddSeconds(1);

        var started = new List<DateTimeOffset>();
        DateTimeOffset? mark = Monday.AddSeconds(1);
        var checks = 0;
        for (; checks < 20; checks++)
        {
            var evaluation = ScheduleEvaluator.Evaluate(trigger, "UTC", mark, now, options);
            if (evaluation.Due.Count == 0)
            {
                break;
            }

            Assert.True(evaluation.Due.Count <= 10);
            started.AddRange(evaluation.Due);
            mark = evaluation.HandledThrough;
        }

        // 00:05 through 02:00 is 24 ticks: three checks of 10, 10 and 4, then nothing more.
        Assert.Equal(Enumerable.Range(1, 24).Select(i => Monday.AddMinutes(5 * i)), started);
        Assert.Equal(3, checks);
        Assert.Equal(now, mark);
    }

    [Fact]
    public void A_mark_after_now_starts_nothing_and_is_kept()
    {
        var evaluation = ScheduleEvaluator.Evaluate(Trigger("* * * * *", "UTC", CatchUpPolicy.All), "UTC", Monday.AddHours(1), Monday);

        Assert.Empty(evaluation.Due);
        Assert.Equal(Monday.AddHours(1), evaluation.HandledThrough);
    }

    [Fact]
    public void A_seconds_cron_starts_every_tick_of_the_minute_since_the_last_check_even_with_catch_up_none()
    {
        var evaluation = ScheduleEvaluator.Evaluate(
            Trigger("*/10 * * * * *", "UTC", CatchUpPolicy.None), "UTC", Monday.AddSeconds(0.5), Monday.AddMinutes(1).AddSeconds(0.5));

        Assert.Equal(Enumerable.Range(1, 6).Select(i => Monday.AddSeconds(10 * i)), evaluation.Due);
    }

    [Fact]
    public void Latest_after_a_long_outage_of_a_seconds_cron_finds_the_newest_missed_tick()
    {
        // A year of every-second ticks: the newest missed one is found without starting or listing the rest.
        var now = Monday.AddDays(365).AddMinutes(10).AddSeconds(0.5);
        var evaluation = ScheduleEvaluator.Evaluate(Trigger("* * * * * *", "UTC", CatchUpPolicy.Latest), "UTC", Monday, now, new ScheduleOptions { Grace = TimeSpan.Zero });

        Assert.Equal([now.AddSeconds(-0.5)], evaluation.Due);
        Assert.Equal(Monday.AddSeconds(1), evaluation.SkippedFirst);
        Assert.Equal(now.AddSeconds(-1.5), evaluation.SkippedLast);
    }

    [Fact]
    public void A_schedule_without_a_time_zone_uses_the_project_default()
    {
        var evaluation = ScheduleEvaluator.Evaluate(
            Trigger("0 6 * * *", null, CatchUpPolicy.None), "Europe/Berlin", Monday.AddHours(4).AddMinutes(59), Monday.AddHours(5).AddSeconds(1));

        Assert.Equal([Monday.AddHours(5)], evaluation.Due);
    }

    // 02:30 is skipped by the spring-forward gap (02:00 -> 03:00) in both zones and repeated by Berlin's fall-back overlap
    // (03:00 -> 02:00); New York's overlap repeats 01:00-02:00 instead, so its 01:30 is the ambiguous time there.
    [Theory]
    [InlineData("Europe/Berlin", "30 2 * * *", "2026-03-29", "2026-03-29T01:00:00Z")]
    [InlineData("Europe/Berlin", "30 2 * * *", "2026-10-25", "2026-10-25T00:30:00Z")]
    [InlineData("America/New_York", "30 2 * * *", "2026-03-08", "2026-03-08T07:00:00Z")]
    [InlineData("America/New_York", "30 2 * * *", "2026-11-01", "2026-11-01T07:30:00Z")]
    [InlineData("America/New_York", "30 1 * * *", "2026-11-01", "2026-11-01T05:30:00Z")]
    [InlineData("Europe/Berlin", "30 2 * * *", "2026-03-28", "2026-03-28T01:30:00Z")]
    [InlineData("Europe/Berlin", "30 2 * * *", "2026-03-30", "2026-03-30T00:30:00Z")]
    public void A_daily_job_runs_once_on_a_daylight_saving_day(string zone, string cron, string day, string expectedUtc)
    {
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        var localDay = LocalDay(zone, date);

        var started = TickEveryMinute(Trigger(cron, zone, CatchUpPolicy.None), localDay.Start, localDay.End);

        Assert.Equal([DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture)], started);
    }

    [Theory]
    [InlineData("Europe/Berlin", "2026-03-29", 23)]
    [InlineData("Europe/Berlin", "2026-10-25", 25)]
    [InlineData("Europe/Berlin", "2026-11-24", 24)]
    [InlineData("America/New_York", "2026-03-08", 23)]
    [InlineData("America/New_York", "2026-11-01", 25)]
    public void An_hourly_job_runs_once_per_real_hour_of_a_daylight_saving_day(string zone, string day, int hours)
    {
        var localDay = LocalDay(zone, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));

        var started = TickEveryMinute(Trigger("0 * * * *", zone, CatchUpPolicy.None), localDay.Start, localDay.End);

        Assert.Equal((localDay.End - localDay.Start).TotalHours, hours);
        Assert.Equal(Enumerable.Range(0, hours).Select(h => localDay.Start.AddHours(h)), started);
    }

    [Fact]
    public void A_checker_down_across_the_gap_catches_up_the_shifted_tick_with_latest()
    {
        // Down from 23:00 UTC the day before until 04:00 UTC: the 02:30 job (run at 03:00 CEST = 01:00 UTC) is the one missed tick.
        var evaluation = ScheduleEvaluator.Evaluate(
            Trigger("30 2 * * *", "Europe/Berlin", CatchUpPolicy.Latest), "UTC", new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 29, 4, 0, 0, TimeSpan.Zero));

        Assert.Equal([new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero)], evaluation.Due);
    }

    // Checks every minute, a few seconds late as a timer is, from first sight just before start until just before end,
    // as the timer function does, and returns every tick started.
    private static List<DateTimeOffset> TickEveryMinute(ScheduleTrigger trigger, DateTimeOffset start, DateTimeOffset end)
    {
        var started = new List<DateTimeOffset>();
        DateTimeOffset? mark = null;
        for (var check = start.AddMinutes(-1); check < end; check = check.AddMinutes(1))
        {
            var evaluation = ScheduleEvaluator.Evaluate(trigger, "UTC", mark, check.AddSeconds(3));
            started.AddRange(evaluation.Due);
            mark = evaluation.HandledThrough;
        }

        return started;
    }

    // Local midnight to the next local midnight of date in zone, as UTC instants.
    private static (DateTimeOffset Start, DateTimeOffset End) LocalDay(string zoneId, DateOnly date)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        DateTimeOffset At(DateOnly d)
        {
            var local = d.ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        }

        return (At(date), At(date.AddDays(1)));
    }

    private static ScheduleTrigger Trigger(string cron, string? zone, CatchUpPolicy policy) => new(cron, zone, policy, new SourceLocation("p/pipeline.yaml", 1, 1));
}

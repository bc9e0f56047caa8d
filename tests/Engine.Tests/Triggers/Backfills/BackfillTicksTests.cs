using Duraflow.Engine.Storage;
using Duraflow.Engine.Triggers.Schedules;

namespace Duraflow.Engine.Tests.Triggers.Backfills;

/// <summary>Which ticks a backfill covers, across daylight-saving changes, and what its runs are called.</summary>
public sealed class BackfillTicksTests
{
    private static Backfill Of(string? cron, TimeSpan? every, string zone, DateTimeOffset from, DateTimeOffset to) => new()
    {
        Id = "b", Pipeline = "p", Schedule = 1, Cron = cron, Every = every, Anchor = every is null ? null : "2026-01-01T00:00:00",
        TimeZone = zone, From = from, To = to, CreatedAt = from, CreatedBy = "test", Total = 0,
    };

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Daily_ticks_across_the_spring_gap_keep_their_local_time_and_the_range_excludes_its_end()
    {
        // 02:30 does not exist in Berlin on 29 March 2026: that day's tick is at 03:00 local, 01:00 UTC.
        var ticks = BackfillRuns.Ticks(Of("30 2 * * *", null, "Europe/Berlin", Utc(3, 27, 0), Utc(3, 31, 0, 30))).ToList();

        Assert.Equal([Utc(3, 27, 1, 30), Utc(3, 28, 1, 30), Utc(3, 29, 1), Utc(3, 30, 0, 30)], ticks);
    }

    [Fact]
    public void An_hourly_schedule_has_25_ticks_on_the_fall_back_day_and_an_interval_keeps_elapsed_time()
    {
        var fallBackDay = (Utc(10, 24, 22), Utc(10, 25, 23));
        var hourly = BackfillRuns.Ticks(Of("0 * * * *", null, "Europe/Berlin", fallBackDay.Item1, fallBackDay.Item2)).ToList();
        var interval = BackfillRuns.Ticks(Of(null, TimeSpan.FromHours(1), "Europe/Berlin", fallBackDay.Item1, fallBackDay.Item2)).ToList();

        Assert.Equal(25, hourly.Count);
        Assert.Equal(25, interval.Count);
        Assert.All(interval.Zip(interval.Skip(1)), pair => Assert.Equal(TimeSpan.FromHours(1), pair.Second - pair.First));
    }

    [Fact]
    public void Runs_without_parameters_take_the_schedulers_ids_and_with_them_ids_of_their_own()
    {
        var plain = Of("0 6 * * *", null, "UTC", Utc(11, 1, 0), Utc(11, 2, 0));
        var withValues = plain with { Parameters = new Dictionary<string, System.Text.Json.JsonElement> { ["region"] = System.Text.Json.JsonSerializer.SerializeToElement("eu") } };
        var tick = Utc(11, 1, 6);

        Assert.Equal(ScheduledRuns.RunId("p", tick), BackfillRuns.RunId(plain, tick));
        Assert.Equal(ScheduledRuns.IdempotencyKey("p", tick), BackfillRuns.IdempotencyKey(plain, tick));
        Assert.Matches("^p-20261101-060000-p[0-9a-f]{10}$", BackfillRuns.RunId(withValues, tick));
        Assert.NotEqual(BackfillRuns.RunId(withValues, tick), BackfillRuns.RunId(withValues with { Parameters = new Dictionary<string, System.Text.Json.JsonElement> { ["region"] = System.Text.Json.JsonSerializer.SerializeToElement("us") } }, tick));
    }

    [Fact]
    public void A_secret_parameter_counts_by_name_only_so_its_value_never_shows_in_an_id()
    {
        var tick = Utc(11, 1, 6);
        Backfill WithToken(string token) => Of("0 6 * * *", null, "UTC", Utc(11, 1, 0), Utc(11, 2, 0)) with
        {
            Parameters = new Dictionary<string, System.Text.Json.JsonElement> { ["token"] = System.Text.Json.JsonSerializer.SerializeToElement(token) },
            SecretParameters = ["token"],
        };

        Assert.Equal(BackfillRuns.RunId(WithToken("1234"), tick), BackfillRuns.RunId(WithToken("hunter2"), tick));
    }

    [Fact]
    public void An_interval_near_the_end_of_time_stops_instead_of_overflowing()
    {
        var backfill = Of(null, TimeSpan.FromDays(366), "UTC", new DateTimeOffset(9998, 1, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.MaxValue) with { Anchor = "9990-01-01T00:00:00" };

        var ticks = BackfillRuns.Ticks(backfill).ToList();

        Assert.InRange(ticks.Count, 1, 3);
        Assert.All(ticks.Zip(ticks.Skip(1)), pair => Assert.Equal(TimeSpan.FromDays(366), pair.Second - pair.First));
    }
}

using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Tests.Triggers.Schedules;

/// <summary>A schedule's cron in words, as the pipeline page and <c>duraflow schedules list</c> show it.</summary>
public sealed class CronWordsTests
{
    [Theory]
    [InlineData("0 6 * * *", "At 06:00, every day")]
    [InlineData("30 6 * * 1-5", "At 06:30, on Monday through Friday")]
    [InlineData("0 6,18 * * *", "At 06:00 and 18:00, every day")]
    [InlineData("15 9 * * MON,WED,FRI", "At 09:15, on Monday, Wednesday and Friday")]
    [InlineData("* * * * *", "Every minute")]
    [InlineData("*/15 * * * *", "Every 15 minutes")]
    [InlineData("5 * * * *", "At minute 5 of every hour")]
    [InlineData("0 */2 * * *", "At minute 0, every 2 hours")]
    [InlineData("0 9-17 * * 1-5", "At minute 0 of every hour from 09:00 through 17:59, on Monday through Friday")]
    [InlineData("*/10 8-18 * * *", "Every 10 minutes, from 08:00 through 18:59")]
    [InlineData("0,30 * * * *", "At minutes 0 and 30 of every hour")]
    [InlineData("10-20 * * * *", "Every minute from 10 through 20")]
    [InlineData("0 0 1 * *", "At 00:00, on day 1 of the month")]
    [InlineData("0 0 1,15 * *", "At 00:00, on days 1 and 15 of the month")]
    [InlineData("0 0 L * *", "At 00:00, on the last day of the month")]
    [InlineData("0 0 L-2 * *", "At 00:00, 2 days before the last day of the month")]
    [InlineData("0 0 15W * *", "At 00:00, on the weekday nearest day 15 of the month")]
    [InlineData("0 0 LW * *", "At 00:00, on the last weekday of the month")]
    [InlineData("0 8 * * MON#1", "At 08:00, on the first Monday of the month")]
    [InlineData("0 8 * * 5L", "At 08:00, on the last Friday of the month")]
    [InlineData("0 12 * JAN,JUL *", "At 12:00, in January and July")]
    [InlineData("0 12 1 */3 *", "At 12:00, on day 1 of the month, every 3 months from January")]
    [InlineData("0 0 * * 0,7", "At 00:00, on Sunday")]
    [InlineData("@daily", "At 00:00, every day")]
    [InlineData("@hourly", "At minute 0 of every hour")]
    [InlineData("@weekly", "At 00:00, on Sunday")]
    [InlineData("@yearly", "At 00:00, on day 1 of the month, in January")]
    [InlineData("*/30 * * * * *", "Every 30 seconds")]
    [InlineData("30 0 6 * * *", "At 06:00:30, every day")]
    [InlineData("45 * * * * *", "At second 45 of every minute")]
    [InlineData("0 0 0 ? * MON-FRI", "At 00:00, on Monday through Friday")]
    public void Describes_every_form_the_schedules_accept(string cron, string words)
    {
        Assert.Equal(words, CronWords.Describe(cron));
    }

    [Theory]
    [InlineData("not a cron")]
    [InlineData("61 * * * *")]
    [InlineData("* * * *")]
    [InlineData("")]
    public void A_cron_the_schedules_refuse_has_no_words(string cron)
    {
        Assert.Null(CronWords.Describe(cron));
    }

    [Fact]
    public void A_day_of_month_with_a_day_of_week_reads_as_both_as_the_scheduler_fires_it()
    {
        Assert.True(Duraflow.Engine.Definitions.Schedules.TryParseCron("0 0 13 * FRI", out var cron, out _));
        var fires = new List<DateTime>();
        var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 5 && cron!.GetNextOccurrence(at) is { } next; i++)
        {
            fires.Add(next);
            at = next;
        }

        Assert.Equal("At 00:00, on day 13 of the month, if it is Friday", CronWords.Describe("0 0 13 * FRI"));
        Assert.All(fires, f => Assert.True(f.Day == 13 && f.DayOfWeek == DayOfWeek.Friday, $"{f:O} is not a Friday the 13th"));
    }
}

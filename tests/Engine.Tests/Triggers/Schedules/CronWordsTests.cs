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
    [InlineData("0 12 * JAN,JUL *", "At 12:00, every day, in January and July")]
    [InlineData("0 0 * */5 *", "At 00:00, every day, in January, June and November")]
    [InlineData("0 0 * 3/2 *", "At 00:00, every day, in March, May, July, September and November")]
    [InlineData("0 0 * JAN-MAR *", "At 00:00, every day, January through March")]
    [InlineData("0 0 * * 0-7", "At 00:00, every day")]
    [InlineData("0 0 0 * * 1-7", "At 00:00, every day")]
    [InlineData("0 0 * * 0-0", "At 00:00, on Sunday")]
    [InlineData("0-59 * * * *", "Every minute")]
    [InlineData("5-5 * * * *", "At minute 5 of every hour")]
    [InlineData("0 0 1-31 * *", "At 00:00, every day")]
    [InlineData("0 */7 * * *", "At 00:00, 07:00, 14:00 and 21:00, every day")]
    [InlineData("*/5 */2 * * *", "Every 5 minutes, in every 2nd hour")]
    [InlineData("*/10 */5 * * * *", "Every 10 seconds, in every 5th minute")]
    [InlineData("*/7 * * * *", "At minutes 0, 7, 14, 21, 28, 35, 42, 49 and 56 of every hour")]
    [InlineData("0 0 L-0 * *", "At 00:00, on the last day of the month")]
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
    public void Every_combination_of_common_field_forms_is_words_or_none_and_never_an_exception()
    {
        string[] minutes = ["*", "0", "*/15", "5/20", "10-20", "0,30", "0-59"];
        string[] hours = ["*", "6", "*/2", "*/7", "9-17", "6,18", "0-23/3"];
        string[] days = ["*", "?", "1", "L", "L-2", "15W", "LW", "1-7", "*/2", "1,15"];
        string[] months = ["*", "1", "JAN-MAR", "*/3", "*/5", "1,7"];
        string[] weekDays = ["*", "MON-FRI", "0", "7", "5L", "MON#2", "0-7", "1,3,5"];
        var described = 0;
        foreach (var cron in from m in minutes from h in hours from d in days from mo in months from w in weekDays select $"{m} {h} {d} {mo} {w}")
        {
            if (!Duraflow.Engine.Definitions.Schedules.TryParseCron(cron, out _, out _))
            {
                continue;
            }

            var words = CronWords.Describe(cron);
            Assert.True(words is null || (words.Length > 5 && !words.Contains("  ", StringComparison.Ordinal)), cron);
            described += words is null ? 0 : 1;
        }

        Assert.True(described > 10_000, $"only {described} crons were put into words");
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

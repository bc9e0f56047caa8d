using System.Globalization;

namespace Duraflow.Engine.Definitions;

/// <summary>
/// A schedule's cron in plain English, for people reading a pipeline page or <c>duraflow schedules list</c>:
/// <c>30 6 * * 1-5</c> reads "At 06:30, on Monday through Friday". Times are the schedule's own, read in its zone, which
/// is shown beside the words. Steps, ranges, lists, names, <c>L</c>, <c>W</c>, <c>#</c> and the macros are put into
/// words; a few rare forms (a step over days of the week, a list mixing ranges, <c>L-3W</c>) and a cron the schedules
/// refuse have none (null), and the cron is shown on its own.
/// </summary>
internal static class CronWords
{
    private static readonly string[] DayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    private static readonly string[] MonthNames =
        ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] Ordinals = ["", "first", "second", "third", "fourth", "fifth"];

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
        ["@every_minute"] = "* * * * *",
        ["@every_second"] = "* * * * * *",
    };

    /// <summary>The cron in words, or null when it is not a cron <see cref="Schedules.TryParseCron"/> accepts.</summary>
    public static string? Describe(string cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        if (!Schedules.TryParseCron(cron, out _, out _))
        {
            return null;
        }

        var text = Macros.TryGetValue(cron.Trim(), out var expanded) ? expanded : cron;
        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var (second, rest) = fields.Length == 6 ? (fields[0], fields[1..]) : ("0", fields);
        try
        {
            var time = Time(second, rest[0], rest[1]);
            var days = Days(rest[2], rest[4]);
            var months = Months(rest[3]);
            // Fixed times say which days they fall on, "every day" too when only the months are restricted.
            var everyDay = days.Length == 0 && time.AtFixedTimes ? "every day" : "";
            var when = string.Join(", ", new[] { everyDay, days, months }.Where(p => p.Length > 0));
            return when.Length == 0 ? time.Text : $"{time.Text}, {when}";
        }
        catch (FormatException)
        {
            // A form this describer does not put into words (Cronos accepted it): the cron is shown on its own.
            return null;
        }
    }

    private static (string Text, bool AtFixedTimes) Time(string second, string minute, string hour)
    {
        // A step that does not divide its period evenly (*/7 hours: 0, 7, 14, 21, then 0 again after 3) is read as
        // the values it gives, so "every N" is only ever said of a steady rhythm.
        var s = Field.Parse(second, 0, 59, null).Regular(60);
        var m = Field.Parse(minute, 0, 59, null).Regular(60);
        var h = Field.Parse(hour, 0, 23, null).Regular(24);
        if (s.Singles is [var onlySecond] && m.Singles is [var onlyMinute] && h.Singles is { Count: > 0 and <= 6 } hours)
        {
            return ("At " + List(hours.Select(x => Clock(x, onlyMinute, onlySecond))), true);
        }

        var seconds = s.Singles is [0] ? null : Unit(s, "second", "seconds", outer: false);
        if (seconds is not null && m.IsAll && h.IsAll)
        {
            return (Capital(seconds) + (s.Singles is { Count: > 0 } ? " of every minute" : ""), false);
        }

        // Something that repeats within each hour (minutes, or seconds inside the minutes) makes an hour step read as
        // "in every 2nd hour", not as a second rhythm beside the first.
        var minutes = Unit(m, "minute", "minutes", outer: seconds is not null);
        var repeatsWithinHour = m.Singles is null || seconds is not null;
        var text = (h, m.Singles) switch
        {
            ({ IsAll: true }, { Count: > 0 }) when seconds is null => $"{Capital(minutes)} of every hour",
            ({ IsAll: true }, _) => Capital(minutes),
            ({ Singles: null, Step: null }, { Count: > 0 }) when seconds is null => $"{Capital(minutes)} of every hour {Hours(h, repeatsWithinHour)}",
            _ => $"{Capital(minutes)}, {Hours(h, repeatsWithinHour)}",
        };
        return (seconds is null ? text : $"{Capital(seconds)}, {Lower(text)}", false);
    }

    private static string Hours(Field h, bool repeatsWithinHour) => h switch
    {
        { Singles: { Count: > 0 } hours } => (hours.Count == 1 ? "in the hour from " : "in the hours from ") + List(hours.Select(x => Clock(x, 0, 0))),
        { Step: { } step } => repeatsWithinHour ? $"in every {Ordinal(step)} hour" : $"every {step} hours",
        { From: var from, To: var to } => $"from {Clock(from, 0, 0)} through {Clock(to, 59, 0)}",
    };

    private static string Unit(Field f, string one, string many, bool outer) => f switch
    {
        { IsAll: true } => $"every {one}",
        { Singles: [var only] } => $"at {one} {only}",
        { Singles: { Count: > 1 } list } => $"at {many} {List(list.Select(Number))}",
        { Step: { } step } => outer ? $"in every {Ordinal(step)} {one}" : $"every {step} {many}",
        { From: var from, To: var to } => $"every {one} from {from} through {to}",
    };

    private static string Ordinal(int n) => (n % 100, n % 10) switch
    {
        ( >= 11 and <= 13, _) => $"{n}th",
        (_, 1) => $"{n}st",
        (_, 2) => $"{n}nd",
        (_, 3) => $"{n}rd",
        _ => $"{n}th",
    };

    private static string Days(string dayOfMonth, string dayOfWeek)
    {
        var monthDays = MonthDays(dayOfMonth);
        var weekDays = WeekDays(dayOfWeek);
        return (monthDays, weekDays) switch
        {
            ("", "") => "",
            (_, "") => monthDays,
            ("", _) => weekDays,
            // Cronos fires when both match (unlike classic cron's either): say so.
            _ => $"{monthDays}, if it is {weekDays["on ".Length..]}",
        };
    }

    private static string MonthDays(string text)
    {
        switch (text.ToUpperInvariant())
        {
            case "*" or "?":
                return "";
            case "L":
                return "on the last day of the month";
            case "LW":
                return "on the last weekday of the month";
        }

        if (text.StartsWith("L-", StringComparison.OrdinalIgnoreCase) && Number(text[2..]) is var before)
        {
            return before == 0 ? "on the last day of the month" : $"{before} {(before == 1 ? "day" : "days")} before the last day of the month";
        }

        if (text.EndsWith('W') || text.EndsWith('w'))
        {
            return $"on the weekday nearest day {Number(text[..^1])} of the month";
        }

        var days = Field.Parse(text, 1, 31, null);
        return days switch
        {
            { IsAll: true } => "",
            { Singles: [var only] } => $"on day {only} of the month",
            { Singles: { Count: > 1 } list } => $"on days {List(list.Select(Number))} of the month",
            { Step: { } step, From: var from, To: 31 } => $"every {step} days of the month from day {from}",
            { Step: { } step, From: var from, To: var to } => $"every {step} days of the month from day {from} through {to}",
            { From: var from, To: var to } => $"on days {from} through {to} of the month",
        };
    }

    private static string WeekDays(string text)
    {
        if (text is "*" or "?")
        {
            return "";
        }

        if (text.Split('#') is [var day, var nth])
        {
            var n = Number(nth);
            return n is >= 1 and <= 5
                ? $"on the {Ordinals[n]} {DayNames[DayNumber(day)]} of the month"
                : throw new FormatException(text);
        }

        if (text.Length > 1 && (text.EndsWith('L') || text.EndsWith('l')))
        {
            return $"on the last {DayNames[DayNumber(text[..^1])]} of the month";
        }

        var days = Field.Parse(text, 0, 7, DayNumber);
        var named = days.Singles ?? (days.Step is null ? Enumerable.Range(days.From, days.To - days.From + 1).ToList() : null);
        if (named is not null && named.Select(d => d % 7).Distinct().Count() == 7)
        {
            return "";
        }

        return days switch
        {
            { Singles: { Count: > 0 } list } => "on " + List(list.Select(d => DayNames[d]).Distinct()),
            { Step: null, From: var from, To: var to } => $"on {DayNames[from]} through {DayNames[to]}",
            _ => throw new FormatException(text),
        };
    }

    private static string Months(string text)
    {
        var months = Field.Parse(text, 1, 12, MonthNumber).Regular(12);
        return months switch
        {
            { IsAll: true } => "",
            { Singles.Count: 12 } => "",
            { Singles: { Count: > 0 } list } => "in " + List(list.Select(m => MonthNames[m])),
            { Step: { } step, From: var from, To: 12 } => $"every {step} months from {MonthNames[from]}",
            { Step: { } step, From: var from, To: var to } => $"every {step} months from {MonthNames[from]} through {MonthNames[to]}",
            { From: var from, To: var to } => $"{MonthNames[from]} through {MonthNames[to]}",
        };
    }

    private static string Clock(int hour, int minute, int second) => second == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{hour:00}:{minute:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{hour:00}:{minute:00}:{second:00}");

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count <= 1 ? string.Concat(all) : $"{string.Join(", ", all[..^1])} and {all[^1]}";
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException(text);

    private static int DayNumber(string text) =>
        Array.FindIndex(DayNames, d => d.StartsWith(text, StringComparison.OrdinalIgnoreCase) && text.Length == 3) is var named and >= 0 ? named : Number(text);

    private static int MonthNumber(string text) =>
        Array.FindIndex(MonthNames, m => m.Length > 0 && m.StartsWith(text, StringComparison.OrdinalIgnoreCase) && text.Length == 3) is var named and >= 0 ? named : Number(text);

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];

    /// <summary>
    /// One cron field: every value; a list of single values (<see cref="Singles"/>); or one range, possibly stepped.
    /// A list mixing ranges and steps is not put into words.
    /// </summary>
    private sealed record Field(int Min, int Max, bool IsAll, IReadOnlyList<int>? Singles, int From, int To, int? Step)
    {
        public static Field Parse(string text, int min, int max, Func<string, int>? name)
        {
            int Value(string part) => name is null ? Number(part) : name(part);

            if (text is "*" or "?")
            {
                return new Field(min, max, true, null, min, max, null);
            }

            var items = text.Split(',');
            if (items.Length > 1 || !text.Contains('-', StringComparison.Ordinal) && !text.Contains('/', StringComparison.Ordinal))
            {
                if (items.Any(i => i.Contains('-', StringComparison.Ordinal) || i.Contains('/', StringComparison.Ordinal)))
                {
                    throw new FormatException(text);
                }

                return new Field(min, max, false, items.Select(Value).Distinct().Order().ToList(), min, max, null);
            }

            var (range, step) = text.Split('/') is [var r, var s] ? (r, (int?)Number(s)) : (text, null);
            var (from, to) = range switch
            {
                "*" => (min, max),
                _ when range.Split('-') is [var a, var b] => (Value(a), Value(b)),
                _ => (Value(range), max),
            };
            step = step == 1 ? null : step;
            return (from, to, step) switch
            {
                _ when from == min && to == max && step is null => new Field(min, max, true, null, min, max, null),
                _ when from == to => new Field(min, max, false, [from], from, to, null),
                _ => new Field(min, max, false, null, from, to, step),
            };
        }

        /// <summary>This field, or the values it gives when its step does not repeat evenly over <paramref name="period"/>.</summary>
        public Field Regular(int period) =>
            Step is { } step && !(From == Min && To == Max && period % step == 0)
                ? this with { Singles = [.. Enumerable.Range(0, ((To - From) / step) + 1).Select(i => From + (i * step))], Step = null }
                : this;
    }
}

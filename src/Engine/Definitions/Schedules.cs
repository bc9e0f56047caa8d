using Cronos;

namespace Duraflow.Engine.Definitions;

/// <summary>Parsing of the cron expressions and time zones used by schedule triggers.</summary>
internal static class Schedules
{
    /// <summary>
    /// Parses a cron expression: 5 fields (minute precision), 6 fields (with seconds first) or a macro such as
    /// <c>@daily</c>. On failure, <paramref name="error"/> says what is wrong.
    /// </summary>
    public static bool TryParseCron(string text, out CronExpression? expression, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        expression = null;
        error = null;
        var fields = text.Split(' ', '\t').Count(f => f.Length > 0);
        if (!text.TrimStart().StartsWith('@') && fields is not (5 or 6))
        {
            error = $"has {fields} fields; write 5 (minute hour day-of-month month day-of-week, as in '0 6 * * *') or 6 with seconds first";
            return false;
        }

        try
        {
            expression = CronExpression.Parse(text.Trim(), fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return true;
        }
        catch (CronFormatException e)
        {
            error = e.Message.TrimEnd('.');
            return false;
        }
    }

    /// <summary>True when <paramref name="id"/> is an IANA time zone id known to this machine, such as <c>Europe/Berlin</c>.</summary>
    /// <remarks>Windows ids such as "W. Europe Standard Time" resolve on Linux too, but are refused so definitions stay portable.</remarks>
    public static bool IsIanaTimeZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;
}

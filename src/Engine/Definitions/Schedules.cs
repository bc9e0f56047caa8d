using System.Globalization;
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

    /// <summary>The shortest interval an interval schedule takes (<c>every</c>).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest interval an interval schedule takes (<c>every</c>).</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(366);

    private static readonly string[] LocalAnchorFormats = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"];
    private static readonly string[] OffsetAnchorFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK"];

    /// <summary>
    /// Parses an interval schedule's anchor: a local date and time (<c>2026-01-01T00:00:00</c>, <c>2026-01-01T06:30</c>,
    /// <c>2026-01-01</c>), or one with an offset or <c>Z</c>. The offset is null for a local one.
    /// </summary>
    public static bool TryParseAnchor(string text, out DateTime local, out TimeSpan? offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        offset = null;
        if (DateTime.TryParseExact(text, LocalAnchorFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
        {
            return true;
        }

        if (DateTimeOffset.TryParseExact(text, OffsetAnchorFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var absolute))
        {
            (local, offset) = (absolute.DateTime, absolute.Offset);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The moment an anchor stands for: its own offset, else its local time in <paramref name="zone"/>. A local time the
    /// zone skips (a spring-forward gap) moves to the end of the gap; one it repeats is read in standard time.
    /// </summary>
    public static DateTimeOffset AnchorInstant(string text, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (!TryParseAnchor(text, out var local, out var offset))
        {
            throw new ArgumentException($"anchor '{text}' is not a date and time", nameof(text));
        }

        if (offset is { } own)
        {
            return new DateTimeOffset(local, own).ToUniversalTime();
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        for (var minutes = 0; minutes < 24 * 60 && zone.IsInvalidTime(local); minutes++)
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}

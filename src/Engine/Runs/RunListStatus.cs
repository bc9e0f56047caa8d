using System.Globalization;

namespace Duraflow.Engine.Runs;

/// <summary>
/// The statuses a run listing filters on and shows: the run statuses, and <c>waiting</c>, which is a running run with
/// a block waiting for a signal, an approval, a timer, a child run or a limit. <c>running</c> lists those too.
/// </summary>
internal static class RunListStatus
{
    public const string Waiting = "waiting";

    /// <summary>The statuses, for an error message or a flag's help.</summary>
    public const string Choices = "pending, running, waiting, succeeded, failed, cancelling or cancelled";

    /// <summary>
    /// Reads <paramref name="text"/> as a filter: a run status, or <c>waiting</c> (running runs that wait). False for
    /// anything else, numbers included (an enum would take them).
    /// </summary>
    public static bool TryParse(string text, out RunStatus status, out bool waitingOnly)
    {
        ArgumentNullException.ThrowIfNull(text);
        waitingOnly = string.Equals(text, Waiting, StringComparison.OrdinalIgnoreCase);
        if (waitingOnly)
        {
            status = RunStatus.Running;
            return true;
        }

        return Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(text, CultureInfo.InvariantCulture, out _)
            && !text.Contains(',', StringComparison.Ordinal);
    }

    /// <summary>
    /// Reads a time bound of a listing (<c>from</c>, <c>to</c>): an ISO 8601 date or date and time, UTC unless it names
    /// an offset (<c>2026-12-01</c>, <c>2026-12-01T06:00:00Z</c>, <c>2026-12-01T07:00:00+01:00</c>).
    /// </summary>
    public static bool TryParseTime(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is not null
            && DateTimeOffset.TryParseExact(text.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    /// <summary>What the time bounds take, for an error message.</summary>
    public const string TimeRule = "an ISO 8601 date or date and time, such as 2026-12-01 or 2026-12-01T06:00:00Z (UTC unless it names an offset)";

    private static readonly string[] TimeFormats =
    [
        // K is an offset, Z, or nothing.
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
    ];

    /// <summary>What a listing shows: <c>waiting</c> for a running run that waits, else the run's status.</summary>
    public static string Label(RunStatus status, bool waiting) => status == RunStatus.Running && waiting ? Waiting : status.ToSnakeCase();
}

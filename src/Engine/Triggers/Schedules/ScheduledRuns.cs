using System.Globalization;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>
/// The names derived from a pipeline and a tick, the same in every process, so that a tick handled twice (two timer
/// invocations, a crash before the mark moved, two schedules of one pipeline firing at the same time) starts one run.
/// </summary>
internal static class ScheduledRuns
{

    /// <summary>
    /// The run id of <paramref name="pipeline"/>'s run for <paramref name="tick"/>: <c>{pipeline}-{yyyyMMdd-HHmmss}-sched</c>
    /// in UTC. It sorts with the ids of runs started by hand (<c>{pipeline}-{yyyyMMdd-HHmmss}-{hex}</c>), and holds only
    /// letters, digits, <c>_</c> and <c>-</c>, so it is a valid table key and URL segment as it is.
    /// </summary>
    public static string RunId(string pipeline, DateTimeOffset tick)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return string.Create(CultureInfo.InvariantCulture, $"{pipeline}-{tick.UtcDateTime:yyyyMMdd-HHmmss}-sched");
    }

    /// <summary>The idempotency key of the run for <paramref name="tick"/>: <c>schedule:{pipeline}:{tick in UTC, round-trip format}</c>.</summary>
    public static string IdempotencyKey(string pipeline, DateTimeOffset tick)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return string.Create(CultureInfo.InvariantCulture, $"schedule:{pipeline}:{tick.ToUniversalTime():O}");
    }

    /// <summary>
    /// The name under which a schedule's mark is kept: its cron and effective time zone, <c>{cron}@{zone}</c>. Editing
    /// either makes a new schedule, which starts from its first sight rather than catching up under the old rules.
    /// </summary>
    public static string ScheduleKey(string cron, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(cron);
        ArgumentNullException.ThrowIfNull(timeZone);
        return $"{string.Join(' ', cron.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))}@{timeZone}";
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>
/// What a backfill's runs are called and which ticks it covers. Without parameters a run has the id and idempotency
/// key the scheduler gives its tick (<see cref="ScheduledRuns"/>), so a tick the scheduler ran, or an earlier
/// backfill, starts nothing again; with parameters both carry a hash of the values, so they never take the place of
/// the scheduler's runs, and the same values give the same runs.
/// </summary>
internal static class BackfillRuns
{
    /// <summary>The run id of <paramref name="backfill"/>'s run for <paramref name="tick"/>.</summary>
    /// <remarks>Secret parameters count by name only: an id is shown everywhere, and a short hash of a guessable secret would give it away.</remarks>
    public static string RunId(Backfill backfill, DateTimeOffset tick)
    {
        ArgumentNullException.ThrowIfNull(backfill);
        return ParameterHash(backfill) is { } hash
            ? string.Create(CultureInfo.InvariantCulture, $"{backfill.Pipeline}-{tick.UtcDateTime:yyyyMMdd-HHmmss}-p{hash}")
            : ScheduledRuns.RunId(backfill.Pipeline, tick);
    }

    /// <summary>The idempotency key of <paramref name="backfill"/>'s run for <paramref name="tick"/>.</summary>
    public static string IdempotencyKey(Backfill backfill, DateTimeOffset tick)
    {
        ArgumentNullException.ThrowIfNull(backfill);
        return ParameterHash(backfill) is { } hash
            ? string.Create(CultureInfo.InvariantCulture, $"backfill:{backfill.Pipeline}:{tick.ToUniversalTime():O}:{hash}")
            : ScheduledRuns.IdempotencyKey(backfill.Pipeline, tick);
    }

    /// <summary>The schedule a backfill walks, as a trigger.</summary>
    public static ScheduleTrigger Trigger(Backfill backfill)
    {
        ArgumentNullException.ThrowIfNull(backfill);
        return new ScheduleTrigger(backfill.Cron, backfill.TimeZone, CatchUpPolicy.None, new SourceLocation("backfill", 1, 1))
        {
            Interval = backfill.Every is { } every ? new ScheduleInterval(every, backfill.Anchor ?? ScheduleInterval.DefaultAnchor) : null,
        };
    }

    /// <summary>The ticks the backfill covers, oldest first: the schedule's in [From, To).</summary>
    public static IEnumerable<DateTimeOffset> Ticks(Backfill backfill) =>
        ScheduleTicks.Of(Trigger(backfill), backfill.TimeZone).Between(backfill.From, fromInclusive: true, backfill.To).Where(t => t < backfill.To);

    // Ten hex digits of the SHA-256 of the values, by name: enough to tell sets of values apart, short enough for an id.
    private static string? ParameterHash(Backfill backfill)
    {
        if (backfill.Parameters.Count == 0)
        {
            return null;
        }

        var text = string.Join("\n", backfill.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={(backfill.SecretParameters.Contains(p.Key) ? "***" : p.Value.GetRawText())}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..10];
    }
}

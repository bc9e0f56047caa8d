using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// Durable waits: <c>wait.for</c> a duration and <c>wait.until</c> a time. Their code only works out how long, as a
/// small JSON request; the engine turns it into a durable timer of the run (a queue message's due time, or a Durable
/// timer) and the block waits as <c>waiting</c>, holding no worker, surviving restarts, however long the wait.
/// </summary>
internal static partial class WaitBlocks
{
    /// <summary>The longest wait: further out is a typo (a unit slipped), and belongs to a schedule.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(365);

    /// <summary>The ids of the wait blocks.</summary>
    public const string For = "wait.for";

    /// <inheritdoc cref="For"/>
    public const string Until = "wait.until";

    public static IEnumerable<BuiltInBlock> All =>
    [
        new(For, "Wait for a duration, holding no worker; the output is the time the wait ended, { until }",
            [new("duration", ConfigKind.Duration, "How long, such as 90s, 15m or 2h (up to 365d); templates allowed", Required: true)],
            (settings, _) => Task.FromResult(BlockValue.Of(BlockJson.ToElement(new { seconds = ForDuration(settings).TotalSeconds })))),
        new(Until, "Wait until a time, holding no worker; a time already past ends the wait at once; the output is { until }",
            [new("time", ConfigKind.Text, "An ISO 8601 time with its offset, such as 2026-12-07T06:00:00Z; templates allowed", Required: true)],
            (settings, _) => Task.FromResult(BlockValue.Of(BlockJson.ToElement(new { until = UntilTime(settings) })))),
    ];

    /// <summary>True for the id of a wait block.</summary>
    public static bool IsWait(string builtInId) => builtInId is For or Until;

    /// <summary>
    /// When the wait that <paramref name="request"/> (a wait block's output) asks for ends, counted from
    /// <paramref name="now"/>, the engine's clock when the block reports.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">The time is further out than <see cref="MaxWait"/>.</exception>
    public static DateTimeOffset DueAt(string block, JsonElement request, DateTimeOffset now)
    {
        if (request.TryGetProperty("seconds", out var seconds))
        {
            return now + TimeSpan.FromSeconds(seconds.GetDouble());
        }

        var until = request.GetProperty("until").GetDateTimeOffset();
        return until - now <= MaxWait
            ? until
            : throw new NonRetryableBlockException($"block {block} (wait.until): {until:O} is more than {Duration.Format(MaxWait)} away; wait for a nearer time, or start the run with a schedule");
    }

    private static TimeSpan ForDuration(BlockSettings settings)
    {
        var duration = settings.Duration("duration") ?? throw settings.Problem("duration", "needs a value");
        return duration <= MaxWait
            ? duration
            : throw settings.Problem("duration", $"is {Duration.Format(duration)}, longer than {Duration.Format(MaxWait)}; write a shorter wait (a unit may have slipped: 30s, not 30d)");
    }

    // An offset is required: a time without one would mean whatever zone the worker runs in.
    private static DateTimeOffset UntilTime(BlockSettings settings)
    {
        var text = settings.RequiredText("time").Trim();
        return OffsetTime().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw settings.Problem("time", $"must be an ISO 8601 time with its offset, such as 2026-12-07T06:00:00Z or 2026-12-07T07:00:00+01:00, not '{text}'");
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OffsetTime();
}

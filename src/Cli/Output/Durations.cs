using System.Globalization;

namespace Duraflow.Cli.Output;

/// <summary>Short human durations for run output: <c>340ms</c>, <c>1.2s</c>, <c>2m05s</c>, <c>1h02m</c>.</summary>
internal static class Durations
{
    public static string Short(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)span.TotalMilliseconds)}ms"),
        { TotalSeconds: < 60 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0}s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m{span.Seconds:00}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m"),
    };

    public static string Between(DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset now) =>
        start is { } s ? Short((end ?? now) - s) : "";
}

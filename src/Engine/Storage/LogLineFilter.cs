namespace Duraflow.Engine.Storage;

/// <summary>
/// Chooses and orders the log lines a reader sees: from a minimum level up (information by default, so a failure's
/// full stack trace, written at debug, shows only when asked for), in the order they were written.
/// </summary>
internal static class LogLineFilter
{
    /// <summary>The levels lines are stored with, least severe first.</summary>
    public static IReadOnlyList<string> Levels { get; } = ["trace", "debug", "information", "warning", "error", "critical"];

    /// <summary>The level shown when the reader names none.</summary>
    public const string DefaultLevel = "information";

    /// <summary>True when <paramref name="level"/> is one of <see cref="Levels"/>, in any letter case.</summary>
    public static bool IsLevel(string level) => Levels.Contains(level, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The lines at <paramref name="minimum"/> or above, ordered by time. Stores return them grouped by block and
    /// attempt; a reader follows a run as it happened.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="minimum"/> is not a level.</exception>
    public static IReadOnlyList<LogLine> Select(IEnumerable<LogLine> lines, string minimum = DefaultLevel)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var floor = Rank(minimum);
        if (floor < 0)
        {
            throw new ArgumentException($"'{minimum}' is not a log level; use one of {string.Join(", ", Levels)}", nameof(minimum));
        }

        // A level this version does not know (written by a newer one) is shown rather than lost.
        return [.. lines.Where(l => Rank(l.Level) is var rank && (rank < 0 || rank >= floor)).OrderBy(l => l.At)];
    }

    private static int Rank(string level)
    {
        for (var i = 0; i < Levels.Count; i++)
        {
            if (string.Equals(Levels[i], level, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}

using System.Globalization;

namespace Duraflow.Blocks.Text;

/// <summary>
/// Durations as written in definitions and block settings: a number and a unit (<c>ms</c>, <c>s</c>, <c>m</c>,
/// <c>h</c>, <c>d</c>), optionally several in a row from the largest unit down, as in <c>1h30m</c>.
/// </summary>
internal static class Duration
{
    /// <summary>Shown in error messages so users see what is accepted.</summary>
    public const string Examples = "500ms, 10s, 5m, 1h, 1d or 1h30m";

    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("d", TimeSpan.FromDays(1)),
        ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
        ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    /// <summary>Parses a duration; false for anything that is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var i = 0;
        var lastUnit = -1;
        while (i < s.Length)
        {
            var numberStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == numberStart || !long.TryParse(s.AsSpan(numberStart, i - numberStart), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetterLower(s[i]))
            {
                i++;
            }

            var unit = Array.FindIndex(Units, u => s.AsSpan(unitStart, i - unitStart).SequenceEqual(u.Unit));

            // Units must go from largest to smallest, each at most once, so "5m1h" and "1s1s" are rejected.
            if (unit <= lastUnit)
            {
                return false;
            }

            lastUnit = unit;
            try
            {
                duration = checked(duration + (Units[unit].Size * amount));
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats a duration in the same notation, so that parsing the result gives it back.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var remaining = duration;
        var parts = new List<string>();
        foreach (var (unit, size) in Units)
        {
            var count = remaining.Ticks / size.Ticks;
            if (count > 0)
            {
                parts.Add(count.ToString(CultureInfo.InvariantCulture) + unit);
                remaining -= size * count;
            }
        }

        return string.Concat(parts);
    }
}

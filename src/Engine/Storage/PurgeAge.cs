namespace Duraflow.Engine.Storage;

/// <summary>
/// How long ago a finished run must have ended to be purged, as <c>--older-than</c>, the API's <c>older_than</c> and
/// duraflow.yaml's <c>retention.runs</c> write it: a duration such as <c>30d</c>, checked the same way everywhere.
/// </summary>
internal static class PurgeAge
{
    /// <summary>The longest age accepted: a hundred years, so that the cutoff stays a date.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(36500);

    /// <summary>
    /// The shortest <c>retention.runs</c>: the sweeper purges unattended, so runs are kept at least long enough for
    /// someone to look at a failure. A purge asked for by hand may name any age above zero.
    /// </summary>
    public static readonly TimeSpan ShortestSetting = TimeSpan.FromHours(1);

    /// <summary>Shown in errors.</summary>
    public const string Examples = "30d, 12h or 1d12h";

    /// <summary>Parses <paramref name="text"/>; false with <paramref name="problem"/> saying why (to follow the value's name) otherwise.</summary>
    public static bool TryParse(string? text, out TimeSpan age, out string problem)
    {
        problem = "";
        if (!Duration.TryParse(text, out age))
        {
            problem = $"'{text}' is not a duration; write for example {Examples}";
            return false;
        }

        problem = Check(age, text!) ?? "";
        return problem.Length == 0;
    }

    /// <summary>Why <paramref name="age"/> (written <paramref name="text"/>) cannot be a purge age, or null when it can.</summary>
    public static string? Check(TimeSpan age, string text)
    {
        if (age <= TimeSpan.Zero)
        {
            return $"'{text}' would purge runs that have not ended yet; give a duration above zero such as {Examples}";
        }

        return age > Longest ? $"'{text}' is longer than {Duration.Format(Longest)} (100 years), the longest age accepted" : null;
    }

    /// <summary>The cutoff: runs that ended before it are older than <paramref name="age"/> at <paramref name="now"/>.</summary>
    public static DateTimeOffset Cutoff(DateTimeOffset now, TimeSpan age) => now - age;
}

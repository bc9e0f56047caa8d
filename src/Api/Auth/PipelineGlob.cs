namespace Duraflow.Api.Auth;

/// <summary>
/// A key's pipeline scope, such as <c>orders*</c> or <c>sales_eu</c>: pipeline-name characters with <c>*</c> for any
/// run of them and <c>?</c> for one. Outside its glob a key sees nothing: those pipelines, their runs and backfills
/// answer 404 as if they did not exist.
/// </summary>
internal static class PipelineGlob
{
    /// <summary>The longest glob accepted.</summary>
    public const int Longest = 100;

    /// <summary>Why <paramref name="glob"/> cannot be a scope, or null.</summary>
    public static string? Problem(string glob)
    {
        ArgumentNullException.ThrowIfNull(glob);
        if (glob.Length is 0 or > Longest)
        {
            return $"must be 1 to {Longest} characters";
        }

        return glob.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '*' or '?')
            ? null
            : $"'{glob}' may hold only lowercase letters, digits, underscores, * (any run of them) and ? (one)";
    }

    /// <summary>True when <paramref name="pipeline"/> is inside <paramref name="glob"/> (null: every pipeline is).</summary>
    public static bool Matches(string? glob, string pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return glob is null || Match(glob.AsSpan(), pipeline.AsSpan());
    }

    // Backtracking only to the last star: linear in practice, and the glob is at most Longest characters.
    private static bool Match(ReadOnlySpan<char> glob, ReadOnlySpan<char> name)
    {
        int g = 0, n = 0, star = -1, resume = 0;
        while (n < name.Length)
        {
            if (g < glob.Length && (glob[g] == '?' || glob[g] == name[n]))
            {
                (g, n) = (g + 1, n + 1);
            }
            else if (g < glob.Length && glob[g] == '*')
            {
                (star, resume, g) = (g, n, g + 1);
            }
            else if (star >= 0)
            {
                (g, n, resume) = (star + 1, resume + 1, resume + 1);
            }
            else
            {
                return false;
            }
        }

        while (g < glob.Length && glob[g] == '*')
        {
            g++;
        }

        return g == glob.Length;
    }
}

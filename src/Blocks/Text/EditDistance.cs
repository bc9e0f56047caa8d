namespace Duraflow.Blocks.Text;

/// <summary>
/// Edit distance for "did you mean" hints on misspelt keys and names: insertions, deletions, substitutions and
/// swaps of two neighbouring letters each count as one edit (optimal string alignment), because swapped letters
/// are the most common typo ("retyr").
/// </summary>
internal static class EditDistance
{
    /// <summary>The number of edits that turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    public static int Between(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(d[i - 1, j - 1] + cost, Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>
    /// The candidate closest to <paramref name="value"/> if it is a likely typo, otherwise null. Likely means at most
    /// a third of the longer word in edits (at least one), or a shared start of four or more letters covering half
    /// of the shorter word, as in "retries" for "retry".
    /// </summary>
    public static string? ClosestMatch(string value, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Between(value, candidate);
            var allowed = Math.Max(1, Math.Max(value.Length, candidate.Length) / 3);
            var shared = SharedStart(value, candidate);
            var likely = distance <= allowed || (shared >= 4 && shared * 2 >= Math.Min(value.Length, candidate.Length));
            if (likely && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>" (did you mean 'X'?) " style hint text for messages: <c>did you mean 'X'? </c>, or empty.</summary>
    public static string DidYouMean(string value, IEnumerable<string> candidates) =>
        ClosestMatch(value, candidates) is { } match ? $"did you mean '{match}'? " : string.Empty;

    private static int SharedStart(string a, string b)
    {
        var length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length])
        {
            length++;
        }

        return length;
    }
}

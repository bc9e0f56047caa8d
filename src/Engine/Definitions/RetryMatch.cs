using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Duraflow.Engine.Definitions;

/// <summary>
/// One entry of <c>retry.on</c> or <c>retry.not_on</c>: an exception type name, which matches a failure whose
/// exception (or one it wraps) is of that type or derives from it, or a message pattern, a regular expression searched for in the
/// failure's error text. Exactly one of the two is set.
/// </summary>
/// <param name="Type">A short (<c>HttpRequestException</c>) or full (<c>System.Net.Http.HttpRequestException</c>) type name.</param>
/// <param name="Message">A regular expression, matched case-insensitively anywhere in the error's first 8,192 characters.</param>
internal sealed record RetryMatch(string? Type, string? Message)
{
    // Patterns come from the project's files, so there are few; compiled once per process, not per decision. Past the
    // cap (a server reloading ever-changing files) a pattern is compiled per use instead of growing the cache.
    private const int CachedPatterns = 1_000;

    // Patterns see the start of the error, where its type and message are; a block's megabyte-long message does not
    // make every decision on its run scan it.
    internal const int MatchedLength = 8_192;
    private static readonly ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    /// <summary>
    /// The options every message pattern is compiled with, by the reader (to refuse what they cannot run) and here.
    /// Non-backtracking: the decider must answer in time linear in the error's length whatever pattern an author
    /// wrote, and the same way on every replay, which a match timeout could not promise.
    /// </summary>
    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>
    /// Whether a failure matches. <paramref name="errorTypes"/> are the full names of the exception's type and its base
    /// types, then those of the exceptions it wraps, most derived first.
    /// </summary>
    public bool Matches(IReadOnlyList<string> errorTypes, string error)
    {
        if (Message is not null)
        {
            var pattern = Compiled.TryGetValue(Message, out var known) ? known : Compile(Message);
            if (known is null && Compiled.Count < CachedPatterns)
            {
                Compiled.TryAdd(Message, pattern);
            }

            return pattern.IsMatch(error.Length > MatchedLength ? error.AsSpan(0, MatchedLength) : error);
        }

        foreach (var full in errorTypes)
        {
            // Ignoring case: C# cannot declare two exception types differing only in case in one namespace, and
            // "httpRequestException" is a slip the validator cannot catch, since a script's own types are unknown to it.
            if (string.Equals(full, Type, StringComparison.OrdinalIgnoreCase) || ShortName(full).Equals(Type, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<char> ShortName(string full)
    {
        // Nested types are written Outer+Inner in a full name; authors write the innermost name.
        var cut = full.AsSpan().LastIndexOfAny('.', '+');
        return cut < 0 ? full : full.AsSpan(cut + 1);
    }

    /// <summary>How the entry reads in docs and errors.</summary>
    public override string ToString() => Message is null ? Type! : $"message: {Message}";
}

using System.Text.RegularExpressions;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>
/// Reads <c>retry.on</c> or <c>retry.not_on</c>: a list (or a single entry) of exception type names and
/// <c>{ message: PATTERN }</c> maps.
/// </summary>
internal static class RetryMatchReader
{
    // A list this long is generated or pasted by mistake; a few names or one pattern with alternatives covers a block.
    private const int MaxEntries = 50;

    // Error texts are at most a few KB; a longer pattern is a mistake, and compiling it costs the validator.
    private const int MaxPatternLength = 1_000;

    private static readonly string[] MessageKeys = ["message"];

    // Dotted identifiers; '+' separates nested types as .NET writes them, '`' a generic type's arity.
    private static readonly Regex TypeName = new(@"^[A-Za-z_][A-Za-z0-9_`]*([.+][A-Za-z_][A-Za-z0-9_`]*)*$", RegexOptions.CultureInvariant);

    /// <summary>The entries, or null after reporting every problem (an empty list is one: it would retry nothing or everything).</summary>
    public static IReadOnlyList<RetryMatch>? Read(LoadContext context, YamlNode node, string what)
    {
        var items = node is YamlSequenceNode sequence ? sequence.Children : (IList<YamlNode>)[node];
        if (items.Count == 0 || items.Count > MaxEntries)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"{what} lists {items.Count} entries; list 1 to {MaxEntries} exception type names or {{ message: PATTERN }} maps");
            return null;
        }

        var matches = new List<RetryMatch>();
        var seen = new HashSet<RetryMatch>();
        var ok = true;
        foreach (var item in items)
        {
            if (ReadOne(context, item, what) is not { } match)
            {
                ok = false;
            }
            else if (!seen.Add(match))
            {
                context.Error(DiagnosticCodes.BadValue, item, $"{what} lists '{match}' twice; remove one");
                ok = false;
            }
            else
            {
                matches.Add(match);
            }
        }

        return ok ? matches : null;
    }

    private static RetryMatch? ReadOne(LoadContext context, YamlNode item, string what)
    {
        if (item is YamlMappingNode)
        {
            var map = context.Map(item, $"a pattern of {what}", MessageKeys);
            return map?.Required("message", $"a pattern of {what}") is { } m && context.String(m, $"{what} 'message'") is { } pattern ? Pattern(context, m, pattern, what) : null;
        }

        var name = context.String(item, $"each entry of {what}");
        if (name is null)
        {
            return null;
        }

        if (!TypeName.IsMatch(name))
        {
            context.Error(DiagnosticCodes.BadValue, item, $"{what} entry '{name}' is not an exception type name (such as HttpRequestException or System.IO.IOException); to match the error's text write {{ message: \"{name}\" }}");
            return null;
        }

        return new RetryMatch(name, null);
    }

    private static RetryMatch? Pattern(LoadContext context, YamlNode node, string pattern, string what)
    {
        if (pattern.Length is 0 or > MaxPatternLength)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"{what} 'message' must be 1 to {MaxPatternLength} characters long, not {pattern.Length}");
            return null;
        }

        try
        {
            RetryMatch.Compile(pattern);
            return new RetryMatch(null, pattern);
        }
        catch (ArgumentException e)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"{what} 'message' '{pattern}' is not a regular expression: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            // The non-backtracking engine refuses lookarounds and backreferences, which could take exponential time.
            context.Error(DiagnosticCodes.BadValue, node, $"{what} 'message' '{pattern}' uses what Duraflow does not run in patterns ({e.Message}); write it without lookarounds, backreferences or atomic groups");
        }

        return null;
    }
}

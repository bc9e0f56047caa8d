using System.Text.RegularExpressions;

namespace Duraflow.Cli.Output;

/// <summary>
/// Rewrites System.CommandLine's parse errors that name .NET types ("as expected type 'System.Int32'") into what
/// the user has to type: "--limit takes a whole number, not 'abc'". Other messages pass through unchanged.
/// </summary>
internal static partial class ParseErrorText
{
    /// <summary>The message to show for one parse error.</summary>
    public static string Describe(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var match = TypedValue().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var value = match.Groups["value"].Value;
        var expected = Expected(match.Groups["type"].Value);
        return match.Groups["kind"].Value == "option"
            ? $"{match.Groups["name"].Value} takes {expected}, not '{value}'"
            : $"'{value}' is not {expected}, which {match.Groups["name"].Value} takes";
    }

    private static string Expected(string typeName) => typeName switch
    {
        "System.Int32" or "System.Int64" or "System.Int16" => "a whole number (such as 20)",
        "System.Double" or "System.Decimal" or "System.Single" => "a number (such as 1.5)",
        "System.Boolean" => "true or false",
        _ when (Type.GetType(typeName) ?? FindType(typeName)) is { IsEnum: true } enumType =>
            $"one of {string.Join(", ", Enum.GetNames(enumType).Select(n => n.ToLowerInvariant()))}",
        _ => "a value of another form",
    };

    // Our own enums live in the product assemblies, which Type.GetType does not search without an assembly name.
    private static Type? FindType(string fullName) =>
        AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(fullName, throwOnError: false)).FirstOrDefault(t => t is not null);

    [GeneratedRegex("^Cannot parse argument '(?<value>.*)' for (?<kind>option|command) '(?<name>[^']+)' as expected type '(?<type>[^']+)'", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex TypedValue();
}

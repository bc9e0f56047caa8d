using System.Text.RegularExpressions;

namespace Duraflow.Engine.Definitions;

/// <summary>The naming rule shared by pipelines, blocks and parameters.</summary>
internal static partial class Names
{
    /// <summary>The rule as users read it in messages.</summary>
    public const string Rule = "a lowercase letter followed by up to 62 lowercase letters, digits or underscores";

    /// <summary>True when <paramref name="name"/> follows the rule <c>^[a-z][a-z0-9_]{0,62}$</c>.</summary>
    public static bool IsValid(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex NamePattern();
}

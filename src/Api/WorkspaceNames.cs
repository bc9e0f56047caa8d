namespace Duraflow.Api;

/// <summary>
/// What a workspace may be called: a name that is one URL segment as it is written (<c>/api/workspaces/NAME</c>),
/// the same in every spelling, so lowercase letters, digits and dashes, starting with a letter, at most 40 long.
/// </summary>
internal static class WorkspaceNames
{
    /// <summary>The longest name.</summary>
    public const int Longest = 40;

    // A name too long to be one is shown cut, so an error cannot be made as long as the caller likes.
    private static string Shown(string name) => PrintableText.Of(name.Length > Longest + 10 ? name[..(Longest + 10)] + "…" : name);

    /// <summary>What is wrong with <paramref name="name"/>, or null when it is a good name.</summary>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > Longest)
        {
            return $"'{Shown(name)}' is not a workspace name: use 1 to {Longest} characters";
        }

        return char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? null
            : $"'{Shown(name)}' is not a workspace name: use lowercase letters, digits and dashes, starting with a letter (sales, ops-eu)";
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// A blob name that may hold wildcards, as local globs do: <c>*</c> is any run of characters except <c>/</c>,
/// <c>**</c> any run of characters, <c>?</c> one character except <c>/</c>.
/// </summary>
internal sealed class BlobPattern
{
    private readonly Regex? _regex;

    public BlobPattern(string name)
    {
        Name = name;
        var wildcard = name.AsSpan().IndexOfAny('*', '?');
        Prefix = wildcard < 0 ? name : name[..wildcard];
        if (wildcard >= 0)
        {
            _regex = new Regex(ToRegex(name), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The name as written.</summary>
    public string Name { get; }

    /// <summary>True when the name holds a wildcard and may match many blobs.</summary>
    public bool IsGlob => _regex is not null;

    /// <summary>The text before the first wildcard: listing the container by it finds every candidate.</summary>
    public string Prefix { get; }

    /// <summary>True when <paramref name="blobName"/> is this name, or matches its wildcards.</summary>
    public bool Matches(string blobName) =>
        _regex?.IsMatch(blobName) ?? string.Equals(blobName, Name, StringComparison.Ordinal);

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    regex.Append(".*");
                    i++;
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                default:
                    regex.Append(Regex.Escape(pattern[i..(i + 1)]));
                    break;
            }
        }

        return regex.Append('$').ToString();
    }
}

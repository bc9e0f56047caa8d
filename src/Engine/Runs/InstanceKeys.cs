using System.Globalization;

namespace Duraflow.Engine.Runs;

/// <summary>
/// Names the things a run schedules: a block (<c>clean</c>) or one fan-out item of a block (<c>report[3]</c>).
/// </summary>
internal static class InstanceKeys
{
    /// <summary>The key of item <paramref name="index"/> of block <paramref name="block"/>, or of the block itself.</summary>
    public static string Of(string block, int? index) =>
        index is { } i ? string.Create(CultureInfo.InvariantCulture, $"{block}[{i}]") : block;

    /// <summary>Splits a key into its block name and item index.</summary>
    public static (string Block, int? Index) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open < 0 || !key.EndsWith(']'))
        {
            return (key, null);
        }

        return (key[..open], int.Parse(key.AsSpan(open + 1, key.Length - open - 2), CultureInfo.InvariantCulture));
    }
}

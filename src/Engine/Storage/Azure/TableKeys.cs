using System.Globalization;
using System.Text;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Turns run ids, block keys, pipeline names and idempotency keys into valid, reversible table keys. Partition and
/// row keys may not hold <c>/ \ # ?</c> or control characters, and block keys hold <c>/</c>; the separator
/// <c>|</c> is escaped too, so that composite keys split back unambiguously.
/// </summary>
internal static class TableKeys
{
    /// <summary>The escaped form of <paramref name="value"/>: the forbidden characters, <c>%</c> and <c>|</c> as <c>%XX</c>.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                // Every character that needs escaping is below U+0100, so two hex digits are enough.
                escaped.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>The value <see cref="Escape"/> made <paramref name="escaped"/> from.</summary>
    public static string Unescape(string escaped)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        if (!escaped.Contains('%', StringComparison.Ordinal))
        {
            return escaped;
        }

        var value = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '%' && i + 2 < escaped.Length
                && int.TryParse(escaped.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                value.Append((char)code);
                i += 2;
            }
            else
            {
                value.Append(escaped[i]);
            }
        }

        return value.ToString();
    }

    /// <summary>The row key that sorts after every key starting with <paramref name="prefix"/>, for range queries.</summary>
    public static string UpperBound(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    /// <summary>A filter for row keys starting with <paramref name="prefix"/> in partition <paramref name="partition"/>.</summary>
    public static string PrefixFilter(string partition, string prefix) =>
        $"PartitionKey eq '{Quote(partition)}' and RowKey ge '{Quote(prefix)}' and RowKey lt '{Quote(UpperBound(prefix))}'";

    /// <summary>Doubles single quotes for an OData string literal.</summary>
    public static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    /// <summary>A fixed-width decimal, so that numbers sort as text.</summary>
    public static string Number(long value) => value.ToString("D19", CultureInfo.InvariantCulture);

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' or '|' || char.IsControl(c);
}

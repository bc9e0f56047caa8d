using System.Globalization;

namespace Duraflow.Api;

/// <summary>
/// Text a caller sent, made safe to show in an error or on a terminal: control and format characters (which move a
/// cursor, recolour what follows, or reverse text) written as <c>\uXXXX</c> code points.
/// </summary>
internal static class PrintableText
{
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Any(Hidden) ? string.Concat(text.Select(c => Hidden(c) ? $"\\u{(int)c:x4}" : c.ToString())) : text;
    }

    private static bool Hidden(char c) => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format;
}

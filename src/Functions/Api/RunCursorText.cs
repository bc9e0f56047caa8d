using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Duraflow.Engine.Storage;

namespace Duraflow.Functions.Api;

/// <summary>
/// The opaque <c>cursor</c> of <c>GET /api/runs</c>: a <see cref="RunCursor"/> in URL-safe base64. Opaque so that
/// clients pass it back unchanged and the encoding can change; it holds nothing secret.
/// </summary>
internal static class RunCursorText
{
    public static string Encode(RunCursor cursor) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{cursor.RequestedAt.UtcTicks}|{cursor.RunId}")));

    public static bool TryDecode(string text, out RunCursor? cursor)
    {
        cursor = null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(bytes);
        var bar = decoded.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || bar == decoded.Length - 1
            || !long.TryParse(decoded.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new RunCursor(new DateTimeOffset(ticks, TimeSpan.Zero), decoded[(bar + 1)..]);
        return true;
    }
}

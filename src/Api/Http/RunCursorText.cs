using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>
/// The opaque <c>cursor</c> of <c>GET /api/runs</c>: a <see cref="RunCursor"/> and a tag over it, in URL-safe base64.
/// Opaque so that clients pass it back unchanged and the encoding can change; it holds nothing secret. The tag (an
/// HMAC-SHA256 under <see cref="RunCursorKey"/>, cut to 16 bytes) lets the API refuse a cursor it did not make (typed
/// by hand, edited, cut short, or from another store) instead of paging from wherever the text happens to point.
/// </summary>
internal static class RunCursorText
{
    private const int TagLength = 16;

    public static string Encode(RunCursor cursor, RunCursorKey key)
    {
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{cursor.RequestedAt.UtcTicks}|{cursor.RunId}"));
        return Base64Url.EncodeToString([.. payload, .. Tag(payload, key)]);
    }

    public static bool TryDecode(string text, RunCursorKey key, out RunCursor? cursor)
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

        if (bytes.Length <= TagLength)
        {
            return false;
        }

        var payload = bytes.AsSpan(0, bytes.Length - TagLength);
        if (!CryptographicOperations.FixedTimeEquals(bytes.AsSpan(bytes.Length - TagLength), Tag(payload, key)))
        {
            return false;
        }

        // The tag proves the server wrote it; the checks below still hold, so a change of format fails cleanly.
        var decoded = Encoding.UTF8.GetString(payload);
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

    private static byte[] Tag(ReadOnlySpan<byte> payload, RunCursorKey key) => HMACSHA256.HashData(key.Value, payload)[..TagLength];
}

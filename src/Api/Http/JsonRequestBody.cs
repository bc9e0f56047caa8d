using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Net.Http.Headers;

namespace Duraflow.Api.Http;

/// <summary>
/// Reads the JSON body of an API request, refusing what the endpoints should never see: a body that is not JSON
/// (415), one larger than <see cref="MaxBytes"/> (413), malformed JSON, a property name repeated in one object, or a
/// body that is not an object (400). Every refusal is a problem naming the fix.
/// </summary>
internal static class JsonRequestBody
{
    /// <summary>
    /// The largest body the API reads. Start requests carry parameters and a key, a few kilobytes at most; a megabyte
    /// leaves room for large <c>json</c> parameters while keeping a request from holding much memory.
    /// </summary>
    public const int MaxBytes = 1024 * 1024;

    // The parser's default depth, written out because docs/api.md promises it.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>
    /// The body's root object, null when there is no body (empty, or only white space, whatever its content type: a
    /// bare <c>curl -X POST</c> must keep working), or the problem to answer with.
    /// </summary>
    public static async Task<(JsonElement? Root, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var isJson = request.HasJsonContentType();

        // A declared length over the limit is refused unread.
        if (request.ContentLength is > MaxBytes)
        {
            return (null, isJson ? TooLarge() : NotJson(request));
        }

        var bytes = await ReadCappedAsync(request.Body, cancellationToken);
        var text = Trim(bytes);
        if (text.IsEmpty)
        {
            return (null, null);
        }

        if (!isJson)
        {
            return (null, NotJson(request));
        }

        if (bytes.Length > MaxBytes)
        {
            return (null, TooLarge());
        }

        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) && mediaType.Charset is { Length: > 0 } charset
            && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ApiProblems.UnsupportedMediaType($"the body's charset is {charset}; JSON is sent as UTF-8: use 'Content-Type: application/json' (or charset=utf-8)"));
        }

        // The parser checks the structure but not every string's bytes; a bad byte would fail later, reading a value.
        if (!Utf8.IsValid(text.Span))
        {
            return (null, ApiProblems.BadField("body", "is not valid UTF-8; send JSON text encoded as UTF-8"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
        }
        catch (JsonException e)
        {
            return (null, ApiProblems.BadField("body", $"is not valid JSON: {e.Message}"));
        }

        using (document)
        {
            var duplicates = JsonDuplicates.Find(document.RootElement);
            if (duplicates.Count > 0)
            {
                var errors = duplicates.Select(d => new FieldError(d.Field, $"property '{d.Name}' appears more than once in the object at {d.ObjectPath}; a JSON object names each property once, so send it once")).ToList();
                return (null, ApiProblems.BadRequest(string.Join("; ", errors.Select(e => $"'{e.Field}': {e.Message}")), errors));
            }

            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, ApiProblems.BadField("body", $"must be a JSON object such as {{}}, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}"));
            }

            return (document.RootElement.Clone(), null);
        }
    }

    private static IResult NotJson(HttpRequest request) => ApiProblems.UnsupportedMediaType(
        request.ContentType is { Length: > 0 } type
            ? $"the body is '{type}'; send JSON with 'Content-Type: application/json'"
            : "the body has no Content-Type; send JSON with 'Content-Type: application/json'");

    private static IResult TooLarge() =>
        ApiProblems.PayloadTooLarge($"the body is larger than {MaxBytes / 1024} KiB, the most the API reads; send smaller parameters (a large input belongs in a file or blob the pipeline reads)");

    // One byte past the limit is enough to know the body is too large, without holding the rest in memory.
    private static async Task<byte[]> ReadCappedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length <= MaxBytes && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, MaxBytes + 1 - buffer.Length)), cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // JSON white space around the value, and a UTF-8 byte order mark, which some clients (PowerShell's) send.
    private static ReadOnlyMemory<byte> Trim(byte[] bytes)
    {
        var memory = bytes.AsMemory();
        if (memory.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            memory = memory[Encoding.UTF8.Preamble.Length..];
        }

        var start = 0;
        while (start < memory.Length && IsJsonWhiteSpace(memory.Span[start]))
        {
            start++;
        }

        var end = memory.Length;
        while (end > start && IsJsonWhiteSpace(memory.Span[end - 1]))
        {
            end--;
        }

        return memory[start..end];
    }

    private static bool IsJsonWhiteSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}

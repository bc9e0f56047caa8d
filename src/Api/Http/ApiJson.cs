using System.Text.Encodings.Web;
using System.Text.Json;

namespace Duraflow.Api.Http;

/// <summary>
/// The JSON settings of every answer of the API, and of what <c>duraflow runs ... --json</c> prints, so that a script
/// reads the same text from either (docs/api.md).
/// </summary>
internal static class ApiJson
{
    /// <summary>The API's settings, for writing a view outside a request (the CLI).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Gives <paramref name="options"/> the API's conventions; the app applies it to its own JSON options.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;

        // ASP.NET's default for response bodies, written out so that text made outside a request escapes the same
        // characters: the '+' of a time's offset stays '+' instead of becoming \u002B.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }

    /// <summary>A view as the API answers it.</summary>
    public static string Serialize(object view) => JsonSerializer.Serialize(view, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

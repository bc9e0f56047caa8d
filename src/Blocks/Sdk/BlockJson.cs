using System.Text.Json;
using System.Text.Json.Serialization;

namespace Duraflow.Blocks;

/// <summary>
/// The one JSON convention for values that travel between blocks: snake_case names, so the same output reads
/// naturally from SQL and from C# records (<c>OrderId</c> ⇄ <c>order_id</c>), and case-insensitive reading.
/// </summary>
internal static class BlockJson
{
    /// <summary>Options for writing block outputs and reading block inputs and parameters.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Serializes <paramref name="value"/> (null included) to a JSON element.</summary>
    public static JsonElement ToElement(object? value) => JsonSerializer.SerializeToElement(value, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            PropertyNameCaseInsensitive = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new BigIntegerJsonConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

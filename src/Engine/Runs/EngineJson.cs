using System.Text.Json;
using System.Text.Json.Serialization;

namespace Duraflow.Engine.Runs;

/// <summary>The JSON form of everything the engine stores: events, snapshots, plans and work items.</summary>
internal static class EngineJson
{
    /// <summary>snake_case names, enums as snake_case strings, nulls left out.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

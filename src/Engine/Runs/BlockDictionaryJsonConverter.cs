using System.Text.Json;
using System.Text.Json.Serialization;

namespace Duraflow.Engine.Runs;

/// <summary>Writes a <see cref="BlockDictionary"/> as a JSON object of blocks by key, and reads it back.</summary>
internal sealed class BlockDictionaryJsonConverter : JsonConverter<BlockDictionary>
{
    // A stored "blocks": null must fail as a corrupt snapshot, not leave a state without its map.
    public override bool HandleNull => true;

    public override BlockDictionary Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var blocks = JsonSerializer.Deserialize<Dictionary<string, BlockRunState>>(ref reader, options)
            ?? throw new JsonException("a run's blocks must be an object of blocks by key, not null");
        var map = new BlockDictionary();
        foreach (var (key, block) in blocks)
        {
            map.Set(key, block);
        }

        return map;
    }

    public override void Write(Utf8JsonWriter writer, BlockDictionary value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, block) in value)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, block, options);
        }

        writer.WriteEndObject();
    }
}

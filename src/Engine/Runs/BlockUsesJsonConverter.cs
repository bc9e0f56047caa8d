using System.Text.Json;
using System.Text.Json.Serialization;
using Duraflow.Blocks.Catalog;

namespace Duraflow.Engine.Runs;

/// <summary>
/// A block's parsed <c>uses</c> in a stored plan, written as the text a pipeline.yaml has (<c>script:blocks/a.csx</c>,
/// <c>csv.read</c>), so a plan's JSON, and the hash that pins it, read as the definition does.
/// </summary>
/// <remarks>
/// A stored plan may name a built-in block that a later duraflow no longer has; it still reads, as that built-in, and
/// the block fails when it runs with a message saying so, rather than making the whole run unreadable.
/// </remarks>
internal sealed class BlockUsesJsonConverter : JsonConverter<BlockUses>
{
    /// <inheritdoc/>
    public override BlockUses Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("a block's 'uses' in a stored plan is null");
        return BlockUses.TryParse(text, out var uses, out _) && uses is not null ? uses : new BlockUses(BlockKind.BuiltIn, text);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, BlockUses value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.ToString());
    }
}

using System.Text.Json;
using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// One entity per block or fan-out item in the run's partition (<c>blk|{key}</c>), so that a commit writes only what
/// it changed. Each row records the version of the commit that wrote it (<c>V</c>): a reader that finds a row newer
/// than the run entity it read first knows the run moved on while it read. A removed block leaves a tombstone
/// (<c>Gone</c>) with its version instead of disappearing, for the same reason.
/// </summary>
internal static class RunBlockRows
{
    public const string Prefix = "blk|";

    // A block's JSON up to this many characters is kept as text (a string property holds 64 KiB of UTF-16); larger
    // ones (a block with a big inline output or a long error) are compressed into chunks.
    private const int InlineChars = 30_000;

    public static string RowKey(string key) => Prefix + TableKeys.Escape(key);

    public static TableEntity Row(string runId, string key, BlockRunState block, long version) =>
        Row(runId, key, JsonSerializer.Serialize(block, EngineJson.Options), version);

    public static TableEntity Row(string runId, string key, string json, long version)
    {
        var entity = new TableEntity(RunPartition.Key(runId), RowKey(key)) { ["Key"] = key, ["V"] = version };
        if (json.Length <= InlineChars)
        {
            entity["B"] = json;
        }
        else
        {
            CompressedPayload.Write(entity, json, $"the state of block {key} of run {runId}");
        }

        return entity;
    }

    public static TableEntity Tombstone(string runId, string key, long version) =>
        new(RunPartition.Key(runId), RowKey(key)) { ["Key"] = key, ["V"] = version, ["Gone"] = true };

    /// <summary>The block's key, the version that wrote the row, and the block (null for a tombstone).</summary>
    public static (string Key, long Version, BlockRunState? Block) Read(TableEntity entity)
    {
        var key = entity.GetString("Key");
        var version = entity.GetInt64("V") ?? 0;
        if (entity.GetBoolean("Gone") == true)
        {
            return (key, version, null);
        }

        var json = entity.GetString("B") ?? CompressedPayload.Read(entity);
        return (key, version, JsonSerializer.Deserialize<BlockRunState>(json, EngineJson.Options)
            ?? throw new JsonException($"the stored state of block {key} of run {entity.PartitionKey} is empty"));
    }

    /// <summary>About how many bytes the entity adds to a transaction's request body (binary travels as base64).</summary>
    public static int EstimatedSize(TableEntity entity)
    {
        var size = 200;
        foreach (var (name, value) in entity)
        {
            size += name.Length + value switch
            {
                string text => JsonLength(text),
                byte[] bytes => (bytes.Length * 4 / 3) + 4,
                _ => 40,
            };
        }

        return size;
    }

    // A string's length in the request's JSON: ASCII takes a byte or two (escaped quotes and controls), anything else
    // is written as a \uXXXX escape.
    private static int JsonLength(string text)
    {
        var length = 2;
        foreach (var c in text)
        {
            length += c < 128 ? 2 : 6;
        }

        return length;
    }
}

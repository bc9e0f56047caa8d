using System.Globalization;
using System.Text.Json;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// How far <c>incremental: { by: files }</c> has read: the last-modified time and name of the newest file read. A
/// file is new when it was modified later, or at the same time with a name after it, so files landing in one second
/// are each read once, in name order.
/// </summary>
/// <param name="Modified">The newest file's last-modified time.</param>
/// <param name="Name">Its name: the path relative to the project, or the blob name.</param>
internal sealed record FileWatermark(DateTimeOffset Modified, string Name)
{
    /// <summary>True when a file modified at <paramref name="modified"/> and called <paramref name="name"/> comes after this mark.</summary>
    public bool IsBefore(DateTimeOffset modified, string name) =>
        modified > Modified || (modified == Modified && string.CompareOrdinal(name, Name) > 0);

    /// <summary>The newest of <paramref name="files"/>, as a mark.</summary>
    public static FileWatermark Newest(IEnumerable<(string Name, DateTimeOffset Modified)> files) =>
        files.Select(f => new FileWatermark(f.Modified, f.Name)).Aggregate((a, b) => a.IsBefore(b.Modified, b.Name) ? b : a);

    /// <summary>The mark as the checkpoint stores it.</summary>
    public JsonElement ToJson() => BlockJson.ToElement(new Dictionary<string, string>
    {
        // UTC with a Z: round-trips every tick, and has no '+' for JSON writers to escape.
        ["modified"] = Modified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        ["name"] = Name,
    });

    /// <summary>The mark a checkpoint holds, or null when it was never set.</summary>
    /// <exception cref="NonRetryableBlockException">The checkpoint holds something else (it was set by hand, or by another block).</exception>
    public static FileWatermark? From(JsonElement? stored, string checkpoint, string block)
    {
        if (stored is not { ValueKind: not JsonValueKind.Null } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Object
            && value.TryGetProperty("modified", out var modified) && modified.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(modified.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            && value.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            return new FileWatermark(time, name.GetString()!);
        }

        throw new NonRetryableBlockException(
            $"block {block}: checkpoint '{checkpoint}' holds {value.GetRawText()}, not the files watermark {{\"modified\": TIME, \"name\": FILE}} incremental: {{ by: files }} keeps; "
            + $"reset it (duraflow checkpoints reset --name {checkpoint}) to read every file again, or name another with incremental.checkpoint");
    }
}

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>Content types for files the folder watcher reports, where Azure would have the uploader's.</summary>
internal static class ContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".csv"] = "text/csv",
        [".json"] = "application/json",
        [".jsonl"] = "application/jsonl",
        [".parquet"] = "application/vnd.apache.parquet",
        [".txt"] = "text/plain",
        [".xml"] = "application/xml",
    };

    /// <summary>The content type of a file name by its extension; <c>application/octet-stream</c> when unknown.</summary>
    public static string Guess(string fileName) =>
        ByExtension.TryGetValue(Path.GetExtension(fileName), out var type) ? type : "application/octet-stream";
}

using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>Cache entries as <c>GET /api/cache</c> returns them and <c>duraflow cache … --json</c> prints them.</summary>
internal static class CacheJson
{
    public static object List(IReadOnlyList<CacheEntry> entries) => new
    {
        Items = entries.Select(e => new
        {
            e.Pipeline,
            e.Block,
            e.Key,
            RunId = e.RunId,
            BlockKey = e.InstanceKey,
            e.Attempt,
            e.Items,
            e.CreatedAt,
            e.ExpiresAt,
        }),
    };

    public static object Cleared(int cleared, string? pipeline, string? block) => new { Cleared = cleared, Pipeline = pipeline, Block = block };
}

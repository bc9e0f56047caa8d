using Azure;
using Azure.Data.Tables;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// What this process last saw of a run entity: the version, the ETag that fences the next commit on it, its layout,
/// and the blob of staged block changes still to be written (null when none).
/// </summary>
internal sealed record KnownRun(long Version, ETag ETag, int Layout, string? Pending)
{
    public static KnownRun From(TableEntity entity) => new(
        entity.GetInt64("Version") ?? 0,
        entity.ETag,
        entity.GetInt32("Layout") ?? 1,
        entity.GetString("Pending") is { Length: > 0 } pending ? pending : null);

    public static KnownRun From(RunHeader header) => new(header.Version, header.ETag, header.Layout, header.Pending);
}

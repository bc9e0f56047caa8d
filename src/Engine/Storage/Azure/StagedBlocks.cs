using System.Text.Json;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The block changes of a commit too large for one entity-group transaction, kept in a blob that the run entity
/// names (<c>Pending</c>) from the commit's own transaction on. The commit is durable once that transaction
/// succeeds; the block rows are then written from this record in further transactions, each fenced by the run's ETag,
/// and until the last one clears <c>Pending</c>, readers lay this record over the block rows.
/// </summary>
/// <param name="Version">The run's version after the commit.</param>
/// <param name="Written">Changed blocks by key, as JSON.</param>
/// <param name="Removed">Removed blocks.</param>
internal sealed record StagedBlocks(long Version, Dictionary<string, string> Written, List<string> Removed)
{
    public string ToJson() => JsonSerializer.Serialize(this, EngineJson.Options);

    public static StagedBlocks FromJson(string json) =>
        JsonSerializer.Deserialize<StagedBlocks>(json, EngineJson.Options) ?? throw new JsonException("the staged block changes are empty");
}

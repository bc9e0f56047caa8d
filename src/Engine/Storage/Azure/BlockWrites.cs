using System.Text.Json;
using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>The block rows one commit writes: the blocks it changed, and tombstones for those it removed.</summary>
internal sealed class BlockWrites(IReadOnlyList<KeyValuePair<string, BlockRunState>> written, IReadOnlyList<string> removed)
{
    /// <summary>How many rows the commit writes.</summary>
    public int Count => written.Count + removed.Count;

    /// <summary>Every key the commit changed, removed ones included.</summary>
    public IReadOnlyCollection<string> Keys => [.. written.Select(w => w.Key), .. removed];

    /// <summary>The rows, each marked with <paramref name="version"/>.</summary>
    public List<TableEntity> Rows(string runId, long version) =>
    [
        .. written.Select(w => RunBlockRows.Row(runId, w.Key, w.Value, version)),
        .. removed.Select(key => RunBlockRows.Tombstone(runId, key, version)),
    ];

    /// <summary>The same changes, to stage in a blob when they do not fit the commit's transaction.</summary>
    public StagedBlocks Staged(long version) => new(
        version,
        written.ToDictionary(w => w.Key, w => JsonSerializer.Serialize(w.Value, EngineJson.Options), StringComparer.Ordinal),
        [.. removed]);

    /// <summary>Every block of <paramref name="state"/>, and tombstones for <paramref name="gone"/>.</summary>
    public static BlockWrites All(RunState state, IReadOnlyList<string> gone) => new([.. state.Blocks], gone);

    /// <summary>The blocks <paramref name="changes"/> names.</summary>
    public static BlockWrites Of(RunState state, BlockChanges changes) =>
        new([.. changes.Written.Select(key => KeyValuePair.Create(key, state.Block(key)))], [.. changes.Removed]);
}

using Duraflow.Blocks.BuiltIns;
using Duraflow.Blocks.Settings;

namespace Duraflow.Blocks.Catalog;

/// <summary>
/// The built-in blocks, with their settings. Definitions are checked against this list so a misspelt <c>uses:</c> or
/// setting is caught by <c>duraflow validate</c>, and <c>duraflow blocks</c> prints it.
/// </summary>
internal static class BuiltInBlocks
{
    /// <summary>Every built-in block, ordered by id.</summary>
    public static IReadOnlyList<BuiltInBlock> All { get; } =
        FileBlocks.All.Concat(SqlBlocks.All).Concat(HttpBlocks.All).Concat(SensorBlocks.All).Concat(WaitBlocks.All).OrderBy(b => b.Id, StringComparer.Ordinal).ToList();

    /// <summary>The built-in block with this id, or null.</summary>
    public static BuiltInBlock? Find(string id) => All.FirstOrDefault(b => string.Equals(b.Id, id, StringComparison.Ordinal));
}

namespace Duraflow.Engine.Runs;

/// <summary>Which blocks of a cloned <see cref="RunState"/> were written or removed since the copy was made.</summary>
internal sealed class BlockChanges
{
    /// <summary>Keys of blocks added or changed.</summary>
    public HashSet<string> Written { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys of blocks removed (a retried run drops the items of a fan-out it runs again).</summary>
    public HashSet<string> Removed { get; } = new(StringComparer.Ordinal);
}

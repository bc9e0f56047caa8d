using Azure;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// A run entity as read: its state (without blocks on layout 2, whole on layout 1), version, layout, the blob of
/// staged block changes still being written (<see cref="Pending"/>), and the ETag that fences the next commit.
/// </summary>
internal sealed record RunHeader(RunState State, long Version, int Layout, string? Pending, ETag ETag)
{
    /// <summary>Whether the run's blocks are in block entities (layout 2) rather than inside the run entity.</summary>
    public bool HasBlockRows => Layout >= 2;
}

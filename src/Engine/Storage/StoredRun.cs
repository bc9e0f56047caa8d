using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage;

/// <summary>A run's snapshot and the version it was read at (the number of its events).</summary>
/// <param name="State">The snapshot.</param>
/// <param name="Version">Pass this back as the expected version when committing.</param>
internal sealed record StoredRun(RunState State, long Version);

using System.Text.Json;

namespace Duraflow.Engine.Runs;

/// <summary>A checkpoint value a block of the run set, waiting for the run's success to be stored.</summary>
/// <param name="Value">The value.</param>
/// <param name="StagedAt">When the block that set it succeeded: a stored value changed after that (by another run, or by
/// hand) is newer than what this run read, and is kept.</param>
internal sealed record StagedCheckpoint(JsonElement Value, DateTimeOffset StagedAt);

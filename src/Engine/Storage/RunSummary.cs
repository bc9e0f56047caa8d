using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage;

/// <summary>A row of a run listing.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Pipeline">Its pipeline.</param>
/// <param name="Status">Its status.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="RequestedAt">When it was requested.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Waiting">Running with a block waiting (<see cref="RunState.IsWaiting"/>).</param>
internal sealed record RunSummary(
    string RunId, string Pipeline, RunStatus Status, string Trigger, DateTimeOffset RequestedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    bool Waiting = false);

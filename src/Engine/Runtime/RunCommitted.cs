using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// What one commit of this process did to a run (<see cref="RunCommitter.RunChanged"/>): the run's new state and the
/// events the commit appended, in order, so an observer can tell a start (<see cref="RunStarted"/>) or an end
/// (<see cref="RunCompleted"/>) from the other changes without keeping the states it saw before.
/// </summary>
/// <param name="State">The run's state after the commit.</param>
/// <param name="Events">The events the commit appended.</param>
internal sealed record RunCommitted(RunState State, IReadOnlyList<RunEvent> Events);

namespace Duraflow.Engine.Runs;

/// <summary>Work the decider asks the engine to do after its events are committed. Committed with them (an outbox).</summary>
internal abstract record RunCommand;

/// <summary>Find the run a concurrency slot and send it <see cref="RunStarted"/>.</summary>
internal sealed record StartWhenSlotFree : RunCommand;

/// <summary>Run attempt <paramref name="Attempt"/> of block or item <paramref name="Key"/> on a worker.</summary>
/// <param name="Key">The block or item key.</param>
/// <param name="Attempt">The attempt number.</param>
internal sealed record DispatchBlock(string Key, int Attempt) : RunCommand;

/// <summary>Deliver <paramref name="Fire"/> back to the run at <paramref name="DueAt"/> (a durable timer).</summary>
/// <param name="Fire">The event the timer reports.</param>
/// <param name="DueAt">When.</param>
internal sealed record StartTimer(RunEvent Fire, DateTimeOffset DueAt) : RunCommand;

/// <summary>Tell the parent run that this child run ended (a message to it, or a Durable event to its orchestration).</summary>
/// <param name="Parent">The parent run and the block that waits.</param>
/// <param name="Ended">The event for the parent.</param>
internal sealed record NotifyParent(ParentRun Parent, ChildRunEnded Ended) : RunCommand;

/// <summary>Cancel a child run: its parent was cancelled.</summary>
/// <param name="Child">The child run.</param>
/// <param name="Reason">Why, for its record.</param>
internal sealed record CancelChildRun(string Child, string Reason) : RunCommand;

/// <summary>Signal the workers running these blocks to stop them (their CancellationToken fires).</summary>
/// <param name="Keys">The running blocks or items.</param>
internal sealed record StopRunningBlocks(IReadOnlyList<string> Keys) : RunCommand;

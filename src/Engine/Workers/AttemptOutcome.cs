namespace Duraflow.Engine.Workers;

/// <summary>How a block attempt ended, as far as the worker is concerned.</summary>
internal enum AttemptOutcome
{
    Succeeded,

    /// <summary>The block's output was found in the cache; its code did not run.</summary>
    Cached,

    Skipped,
    Failed,
    Cancelled,

    /// <summary>A wait block worked out how long to wait: the block waits on a durable timer, not on this worker.</summary>
    Waiting,

    /// <summary>A block with <c>repeat</c> ran, but its output does not satisfy <c>until</c> yet.</summary>
    UntilFalse,

    /// <summary>Not reported: the worker is shutting down or lost the lease; the message is delivered again.</summary>
    Abandoned,
}

namespace Duraflow.Engine.Runs;

/// <summary>Where one block (or one fan-out item of a block) is within a run. A user contract (docs/concepts.md, "Block statuses").</summary>
internal enum BlockStatus
{
    /// <summary>Waiting for its upstream blocks.</summary>
    Pending,

    /// <summary>Handed to the workers; not started yet.</summary>
    Scheduled,

    /// <summary>A worker is running it.</summary>
    Running,

    /// <summary>Finished and its output is stored.</summary>
    Succeeded,

    /// <summary>Failed, with no attempts left or with a failure that retrying cannot fix.</summary>
    Failed,

    /// <summary>An attempt failed; the next one starts when its retry timer fires.</summary>
    Retrying,

    /// <summary>Its <c>when</c> was false, or an upstream block was skipped.</summary>
    Skipped,

    /// <summary>The run was cancelled before or while it ran.</summary>
    Cancelled,

    /// <summary>Its output was reused from the cache.</summary>
    Cached,

    /// <summary>Not run because a block it depends on failed.</summary>
    UpstreamFailed,

    /// <summary>
    /// Waiting on a durable timer, holding no worker: a <c>wait.for</c> or <c>wait.until</c>, or a <c>repeat</c>
    /// between runs. What for and until when are in <see cref="BlockRunState.WaitingFor"/> and <see cref="BlockRunState.WaitUntil"/>.
    /// </summary>
    Waiting,
}

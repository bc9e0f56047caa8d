namespace Duraflow.Engine.Runs;

/// <summary>Where a run is in its life. Names and meanings are a user contract (docs/concepts.md, "Run statuses").</summary>
internal enum RunStatus
{
    /// <summary>Requested, waiting to start (for example behind the pipeline's <c>concurrency</c> limit).</summary>
    Pending,

    /// <summary>Started: blocks are being scheduled and run.</summary>
    Running,

    /// <summary>Every block succeeded, was skipped or was served from cache.</summary>
    Succeeded,

    /// <summary>A block failed (after its retries), or the run timed out.</summary>
    Failed,

    /// <summary>Cancel was asked for; running blocks are being stopped.</summary>
    Cancelling,

    /// <summary>Cancelled: nothing more runs.</summary>
    Cancelled,
}

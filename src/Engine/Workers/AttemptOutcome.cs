namespace Duraflow.Engine.Workers;

/// <summary>How a block attempt ended, as far as the worker is concerned.</summary>
internal enum AttemptOutcome
{
    Succeeded,
    Skipped,
    Failed,
    Cancelled,

    /// <summary>Not reported: the worker is shutting down or lost the lease; the message is delivered again.</summary>
    Abandoned,
}

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>What dispatching an event did for one pipeline.</summary>
internal enum BlobDispatchOutcome
{
    /// <summary>A new run was started.</summary>
    Started,

    /// <summary>An earlier delivery of the same event already started the run; nothing new was started.</summary>
    Duplicate,

    /// <summary>No blob_created trigger matches the event.</summary>
    NoMatch,

    /// <summary>The pipeline matches but cannot start without values for required parameters, which an event cannot give.</summary>
    Rejected,
}

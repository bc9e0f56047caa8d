namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>What dispatching an event did for one pipeline (or for none), for the host to log.</summary>
/// <param name="Event">The event.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Pipeline">The pipeline, or null for <see cref="BlobDispatchOutcome.NoMatch"/>.</param>
/// <param name="RunId">The run started, or the one an earlier delivery started; null when none.</param>
/// <param name="Error">Why the run could not start, for <see cref="BlobDispatchOutcome.Rejected"/>.</param>
internal sealed record BlobDispatchResult(BlobCreatedEvent Event, BlobDispatchOutcome Outcome, string? Pipeline, string? RunId, string? Error = null);

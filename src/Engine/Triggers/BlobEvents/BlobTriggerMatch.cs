using Duraflow.Engine.Definitions;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>A pipeline whose blob_created trigger matches an event.</summary>
/// <param name="Pipeline">The valid pipeline to start.</param>
/// <param name="Trigger">Its first trigger that matched.</param>
internal sealed record BlobTriggerMatch(ValidatedPipeline Pipeline, BlobCreatedTrigger Trigger);

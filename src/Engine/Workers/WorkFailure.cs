using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>A message whose handling failed, and why.</summary>
/// <param name="Work">The message, when one was being handled.</param>
/// <param name="Error">What went wrong.</param>
internal sealed record WorkFailure(LeasedWork? Work, Exception Error);

namespace Duraflow.Engine.Runtime;

/// <summary>An input a run receives from outside while it exists, other than a cancel.</summary>
internal abstract record RunSignal;

/// <summary>Run a failed or cancelled run again from its failed blocks, reusing the outputs of those that succeeded.</summary>
internal sealed record RetryFailedBlocks : RunSignal;

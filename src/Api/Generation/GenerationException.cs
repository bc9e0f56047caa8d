namespace Duraflow.Api.Generation;

/// <summary>Block generation cannot start or finish; the message says why and what to change. Nothing was written.</summary>
internal sealed class GenerationException : Exception
{
    public GenerationException(string message, GenerationFailure failure = GenerationFailure.Refused, Exception? inner = null)
        : base(message, inner) => Failure = failure;

    /// <summary>What stopped it, which each host answers in its own way (an exit code, a status).</summary>
    public GenerationFailure Failure { get; }
}

/// <summary>What stopped a generation.</summary>
internal enum GenerationFailure
{
    /// <summary>The pipeline, the block's name or file, or the project's files stop it.</summary>
    Refused,

    /// <summary>duraflow.yaml has errors, or names no model where one is needed.</summary>
    NotConfigured,

    /// <summary>There is no such pipeline.</summary>
    NoPipeline,

    /// <summary>The chat model could not be reached, refused, or answered with something unreadable.</summary>
    Model,
}

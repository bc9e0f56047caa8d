namespace Duraflow.Api.Generation;

/// <summary>Block generation cannot start or finish; the message says why and what to change. Nothing was written.</summary>
internal sealed class GenerationException : Exception
{
    public GenerationException(string message)
        : base(message)
    {
    }

    public GenerationException(string message, Exception inner, bool modelFailed = false)
        : base(message, inner) => ModelFailed = modelFailed;

    /// <summary>True when the chat model could not be reached or refused the request, rather than the project or the request being wrong.</summary>
    public bool ModelFailed { get; }
}

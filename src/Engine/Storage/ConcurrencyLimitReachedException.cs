namespace Duraflow.Engine.Storage;

/// <summary>The pipeline's <c>concurrency</c> limit is reached; the run stays pending.</summary>
internal sealed class ConcurrencyLimitReachedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyLimitReachedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyLimitReachedException()
        : base("the pipeline's concurrency limit is reached")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyLimitReachedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

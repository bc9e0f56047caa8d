namespace Duraflow.Engine.Storage;

/// <summary>The stored version is not the one the decision was made on: someone else committed first. Reload and decide again.</summary>
internal sealed class ConcurrencyConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException()
        : base("the run changed since it was read")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Duraflow.Engine.Storage;

/// <summary>The consumed message's lease ended and another worker owns it now; this worker's result is discarded.</summary>
internal sealed class LeaseLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LeaseLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LeaseLostException()
        : base("the lease on the message was lost")
    {
    }

    /// <summary>Creates the exception.</summary>
    public LeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Duraflow.Durable;

/// <summary>The Durable runtime could not start: its storage account is unreachable or its task hub cannot be made.</summary>
internal sealed class DurableHostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DurableHostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DurableHostException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public DurableHostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

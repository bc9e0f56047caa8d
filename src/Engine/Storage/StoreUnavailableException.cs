namespace Duraflow.Engine.Storage;

/// <summary>
/// A project's run store is configured but could not be opened: the storage account cannot be reached, the
/// credential cannot sign in, or the identity may not use the account. Unlike <see cref="StoreSettingsException"/>
/// the settings may be right, and trying again later may work.
/// </summary>
internal sealed class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception with a message naming the store and what went wrong.</summary>
    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public StoreUnavailableException()
        : base("the run store could not be opened")
    {
    }
}

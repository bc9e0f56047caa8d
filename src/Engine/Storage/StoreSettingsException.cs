namespace Duraflow.Engine.Storage;

/// <summary>
/// A project's run store cannot be opened as configured: duraflow.yaml has errors, or the setting that names the
/// storage account is missing or wrong. The message names the file or setting and how to fix it; nothing was created.
/// </summary>
internal sealed class StoreSettingsException : Exception
{
    /// <summary>Creates the exception with a message naming what to fix.</summary>
    public StoreSettingsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public StoreSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public StoreSettingsException()
        : base("the run store is not configured correctly; run 'duraflow validate' to see why")
    {
    }
}

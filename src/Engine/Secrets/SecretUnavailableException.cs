namespace Duraflow.Engine.Secrets;

/// <summary>
/// A secret store could not answer now: Key Vault is unreachable, throttles or failed. Unlike a missing secret this
/// is retryable, so a block that gets it is tried again under its retry policy.
/// </summary>
internal sealed class SecretUnavailableException : Exception
{
    /// <summary>Creates the exception with a message naming the store and the secret.</summary>
    public SecretUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public SecretUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SecretUnavailableException()
        : base("a secret store could not be reached")
    {
    }
}

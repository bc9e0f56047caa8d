namespace Duraflow.Blocks;

/// <summary>
/// Thrown by block code when trying again cannot help (bad input data, a missing file the block will never find):
/// the block fails at once, whatever its retry policy says.
/// </summary>
public sealed class NonRetryableBlockException : Exception
{
    /// <summary>Creates the exception with a message for the run log.</summary>
    public NonRetryableBlockException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public NonRetryableBlockException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public NonRetryableBlockException()
        : base("the block failed and asked not to be retried")
    {
    }
}

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>
/// A queue message or webhook body that is not a readable Event Grid event or CloudEvent. The message says what is wrong
/// and where (a JSON path such as <c>$[0].data.url</c>), so the host can answer 400 or set the message aside; retrying it
/// cannot help.
/// </summary>
internal sealed class BlobEventFormatException : Exception
{
    /// <summary>Creates the exception with no details; prefer the constructors with a message.</summary>
    public BlobEventFormatException()
        : base("The blob event is malformed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public BlobEventFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that revealed the problem.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The JSON or base64 error underneath.</param>
    public BlobEventFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

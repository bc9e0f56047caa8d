namespace Duraflow.Engine.Connections;

/// <summary>
/// The project's connections cannot be opened: io_config.yaml or secrets.local.yaml has errors, or the selected profile
/// does not exist. The message lists the problems as <c>file:line:col: error CODE: message</c>.
/// </summary>
internal sealed class IoConfigException : Exception
{
    /// <summary>Creates the exception with a message listing the problems.</summary>
    public IoConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public IoConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public IoConfigException()
        : base("the project's connections cannot be opened; run 'duraflow validate' to see why")
    {
    }
}

namespace Duraflow.Engine.Runtime;

/// <summary>No run has the given id.</summary>
internal sealed class RunNotFoundException : Exception
{
    /// <summary>Creates the exception for <paramref name="runId"/>.</summary>
    public RunNotFoundException(string runId)
        : base($"there is no run '{runId}'; `duraflow runs list` shows the recent ones")
    {
    }

    /// <summary>Creates the exception.</summary>
    public RunNotFoundException()
        : base("there is no such run")
    {
    }

    /// <summary>Creates the exception.</summary>
    public RunNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>A pause or resume that names no pipeline with schedules, or gives a bad reason: the message says which and what to do.</summary>
internal sealed class ScheduleControlException : Exception
{
    public ScheduleControlException()
    {
    }

    public ScheduleControlException(string message)
        : base(message)
    {
    }

    public ScheduleControlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ScheduleControlException(string message, bool notFound, string field)
        : base(message)
    {
        NotFound = notFound;
        Field = field;
    }

    /// <summary>True when the pipeline is not in the project (a 404 over HTTP); false for any other refusal (a 400).</summary>
    public bool NotFound { get; }

    /// <summary>The input at fault: <c>pipeline</c> or <c>reason</c>.</summary>
    public string Field { get; } = "pipeline";
}

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>A backfill request refused: <see cref="Field"/> names what to fix (<c>from</c>, <c>schedule</c>, …).</summary>
internal sealed class BackfillException : Exception
{
    public BackfillException()
    {
    }

    public BackfillException(string message)
        : base(message)
    {
    }

    public BackfillException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BackfillException(string field, string message, bool notFound = false)
        : base(message)
    {
        Field = field;
        NotFound = notFound;
    }

    /// <summary>The request's field at fault: <c>pipeline</c>, <c>schedule</c>, <c>from</c>, <c>to</c>, <c>concurrency</c>, <c>parameters</c>, <c>id</c>.</summary>
    public string Field { get; } = "";

    /// <summary>True when what it names does not exist (a pipeline, a backfill): a 404 rather than a 400.</summary>
    public bool NotFound { get; }
}

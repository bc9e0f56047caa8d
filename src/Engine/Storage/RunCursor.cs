namespace Duraflow.Engine.Storage;

/// <summary>
/// A position in a run listing: the listing's sort key (requested time, then run id). Runs requested at the same
/// moment come in an order each store fixes; paging with the cursor visits each of them once.
/// </summary>
/// <param name="RequestedAt">The <see cref="RunSummary.RequestedAt"/> of the last run seen.</param>
/// <param name="RunId">Its id.</param>
internal sealed record RunCursor(DateTimeOffset RequestedAt, string RunId)
{
    /// <summary>The cursor after <paramref name="run"/>.</summary>
    public static RunCursor After(RunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunCursor(run.RequestedAt, run.RunId);
    }
}

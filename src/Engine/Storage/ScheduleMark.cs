namespace Duraflow.Engine.Storage;

/// <summary>
/// How far a schedule has been handled, like the Functions timer's <c>{Last, Next, LastUpdated}</c> status: every tick
/// at or before <paramref name="HandledThrough"/> has been started or deliberately skipped.
/// </summary>
/// <param name="HandledThrough">The mark, in UTC.</param>
/// <param name="Next">The schedule's next tick after the mark, for display; null when it never fires again.</param>
/// <param name="UpdatedAt">When the mark was written, by the store's clock.</param>
/// <param name="Version">An opaque version (an ETag on Azure) that a conditional update must present.</param>
internal sealed record ScheduleMark(DateTimeOffset HandledThrough, DateTimeOffset? Next, DateTimeOffset UpdatedAt, string Version);

using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage;

/// <summary>Filters for listing runs, newest first.</summary>
/// <param name="Pipeline">Only this pipeline, or all.</param>
/// <param name="Status">Only this status, or all.</param>
/// <param name="Limit">At most this many.</param>
/// <param name="After">
/// Only runs listed after this one: the last row of the previous page. Keyset paging rather than an offset, so runs
/// started meanwhile do not shift the pages.
/// </param>
/// <param name="WaitingOnly">Only running runs with a block waiting (<see cref="RunState.IsWaiting"/>).</param>
/// <param name="RequestedFrom">Only runs requested at or after this time.</param>
/// <param name="RequestedBefore">Only runs requested before this time.</param>
internal sealed record RunQuery(
    string? Pipeline = null, RunStatus? Status = null, int Limit = 20, RunCursor? After = null, bool WaitingOnly = false,
    DateTimeOffset? RequestedFrom = null, DateTimeOffset? RequestedBefore = null);

using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Durable;

/// <summary>The runs of a store that run on the <c>durable</c> runtime, found through the run index both runtimes share.</summary>
internal static class DurableRuns
{
    private const int Page = 200;

    /// <summary>The ids of the store's durable runs in any of <paramref name="statuses"/>.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(IRunStore store, IReadOnlyList<RunStatus> statuses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(statuses);
        var found = new List<string>();
        foreach (var status in statuses)
        {
            RunCursor? after = null;
            while (true)
            {
                var page = await store.ListRunsAsync(new RunQuery(Status: status, Limit: Page, After: after), cancellationToken).ConfigureAwait(false);
                foreach (var summary in page)
                {
                    // The summary does not carry the runtime; the run's state does.
                    var run = await store.GetRunAsync(summary.RunId, cancellationToken).ConfigureAwait(false);
                    if (run?.State.Runtime == DurableNames.Runtime)
                    {
                        found.Add(summary.RunId);
                    }
                }

                if (page.Count < Page)
                {
                    break;
                }

                after = RunCursor.After(page[^1]);
            }
        }

        return found;
    }

    /// <summary>The store's durable runs that have not ended.</summary>
    public static Task<IReadOnlyList<string>> UnfinishedAsync(IRunStore store, CancellationToken cancellationToken) =>
        ListAsync(store, [RunStatus.Pending, RunStatus.Running, RunStatus.Cancelling], cancellationToken);
}

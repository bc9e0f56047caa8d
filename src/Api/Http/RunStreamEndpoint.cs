using System.Threading.Channels;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>GET /api/runs/{id}/stream</c>: server-sent events for a page that follows a run. Each change of the run is an
/// <c>event: run</c> whose data is the run's JSON as <c>GET /api/runs/{id}</c> returns it; the stream ends after the
/// event that shows the run ended. A change committed by this process is sent at once; one committed elsewhere (other
/// workers, other instances in Azure) is found by reading the run at most every second.
/// </summary>
internal static class RunStreamEndpoint
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    // Proxies close a response that sends nothing for a while; a comment line every so often keeps it open.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task HandleAsync(
        string id, HttpContext context, SharedEngine sharedEngine, IHostApplicationLifetime lifetime, CancellationToken requestAborted)
    {
        // A stream ends when the page goes away or the server stops, whichever comes first: an open page must not hold
        // up a shutdown.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var cancellationToken = ending.Token;
        var committer = (await sharedEngine.GetAsync(cancellationToken)).Committer;
        if (await committer.Store.GetRunAsync(id, cancellationToken) is not { } first)
        {
            await ApiProblems.RunNotFound(id).ExecuteAsync(context);
            return;
        }

        // A client that connects again after the run's last event (EventSource does, unless closed) is told there is
        // nothing more: 204 stops an EventSource for good.
        if (first.State.Status.IsTerminal()
            && context.Request.Headers["Last-Event-ID"].FirstOrDefault() == first.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        // Woken by this process's commits of the run; the bounded channel keeps one pending wake-up, which is enough.
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnChanged(object? sender, RunCommitted commit)
        {
            if (commit.State.RunId == id)
            {
                changed.Writer.TryWrite(true);
            }
        }

        committer.RunChanged += OnChanged;
        try
        {
            var sentVersion = -1L;
            var lastWrite = DateTimeOffset.UtcNow;
            var stored = first;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (stored is not null && stored.Version != sentVersion)
                {
                    var json = ApiJson.Serialize(await RunJson.DetailAsync(committer, stored.State, RunLinks.BaseOf(context), cancellationToken));
                    await response.WriteAsync($"id: {stored.Version}\nevent: run\ndata: {json}\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    sentVersion = stored.Version;
                    lastWrite = DateTimeOffset.UtcNow;
                    if (stored.State.Status.IsTerminal())
                    {
                        return;
                    }
                }
                else if (DateTimeOffset.UtcNow - lastWrite >= KeepAlive)
                {
                    await response.WriteAsync(": still watching\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    lastWrite = DateTimeOffset.UtcNow;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(Poll);
                try
                {
                    await changed.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // A second without a change here: look in the store, where other processes commit.
                }

                stored = await committer.Store.GetRunAsync(id, cancellationToken);
                if (stored is null)
                {
                    // Purged while watched: say so, and end.
                    await response.WriteAsync("event: gone\ndata: {}\n\n", cancellationToken);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away, or the server is stopping.
        }
        finally
        {
            committer.RunChanged -= OnChanged;
        }
    }
}

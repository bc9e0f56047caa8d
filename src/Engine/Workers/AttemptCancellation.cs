namespace Duraflow.Engine.Workers;

/// <summary>
/// The one CancellationToken a block attempt sees, and why it fired: the run was cancelled, the attempt timed out,
/// the lease was lost to another worker, or this worker is shutting down. The reason decides what gets reported.
/// </summary>
internal sealed class AttemptCancellation : IDisposable
{
    private readonly CancellationTokenSource _keeper = new();
    private readonly CancellationToken _stopping;
    private int _why;

    public AttemptCancellation(TimeSpan? timeout, CancellationToken stopping)
    {
        _stopping = stopping;
        Source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (timeout is { } limit)
        {
            _ = Task.Delay(limit, Source.Token).ContinueWith(t => { if (!t.IsCanceled) { Cancel(Why.TimedOut); } }, TaskScheduler.Default);
        }
    }

    public enum Why
    {
        None,
        RunCancelled,
        TimedOut,
        LeaseLost,
    }

    public CancellationTokenSource Source { get; }

    public CancellationToken Token => Source.Token;

    public CancellationToken KeeperStopping => _keeper.Token;

    public bool IsCancellationRequested => Source.IsCancellationRequested;

    public bool LeaseLost => _why == (int)Why.LeaseLost;

    public void Cancel(Why why)
    {
        Interlocked.CompareExchange(ref _why, (int)why, (int)Why.None);
        Source.Cancel();
    }

    /// <summary>What the attempt's end means: shutting down abandons it; a cancel or timeout is reported.</summary>
    public (AttemptOutcome, string?) Reason(TimeSpan? timeout) => (Why)_why switch
    {
        _ when _stopping.IsCancellationRequested => (AttemptOutcome.Abandoned, null),
        Why.TimedOut => (AttemptOutcome.Failed, $"timed out after {Duration.Format(timeout ?? TimeSpan.Zero)} (block timeout)"),
        Why.LeaseLost => (AttemptOutcome.Abandoned, null),
        _ => (AttemptOutcome.Cancelled, "cancelled"),
    };

    public async Task StopKeepingAsync(Task keeper)
    {
        await _keeper.CancelAsync().ConfigureAwait(false);
        await keeper.ConfigureAwait(false);
    }

    public void Dispose()
    {
        Source.Dispose();
        _keeper.Dispose();
    }
}

using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// The named limits one block attempt holds while its code runs: renewed every third of the lease, so a holder that
/// dies gives its share back when the lease runs out, and given back when disposed. Neither renewing nor giving back
/// ever fails the block: the code has run (or is running), and a share the store could not hear about comes back when
/// its lease runs out.
/// </summary>
internal sealed class LimitHold : IAsyncDisposable
{
    private readonly NamedLimits _limits;
    private readonly ILimitLedgers _store;
    private readonly string _holder;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    internal LimitHold(NamedLimits limits, ILimitLedgers store, IReadOnlyList<string> names, string holder, TimeSpan lease)
    {
        _limits = limits;
        _store = store;
        Names = names;
        _holder = holder;
        _renewing = RenewAsync(lease / 3);
    }

    /// <summary>The limits held.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Renewals that found the share gone (its lease ran out while the store could not be reached, and it was given to another).</summary>
    public int Lost { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        await NamedLimits.GiveBackAsync(_store, Names, _holder, undo: false).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RenewAsync(TimeSpan every)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    if (!await _limits.RenewAsync(_store, Names, _holder, _stop.Token).ConfigureAwait(false))
                    {
                        Lost++;
                    }
                }
                catch (StoreUnavailableException)
                {
                    // One missed renewal is not a lost share: the lease outlasts two more tries.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the block ended.
        }
    }
}

using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// The named limits one block attempt holds while its code runs: renewed every third of the lease, so a holder that
/// dies gives its share back when the lease runs out, and given back when disposed.
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        await NamedLimits.GiveBackAsync(_store, Names, _holder).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RenewAsync(TimeSpan every)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                await _limits.RenewAsync(_store, Names, _holder, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the block ended.
        }
        catch (StoreUnavailableException)
        {
            // A store that cannot be reached lets the lease run out; the share comes back to others then, which is
            // what the lease is for. The block itself carries on.
        }
    }
}

using Duraflow.Blocks;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// Takes and gives back the project's named limits for block attempts, in the store's ledgers
/// (<see cref="ILimitLedgers"/>), so the bounds hold across every run, worker and runtime of the project. An attempt
/// takes all of its block's limits (in name order, so two attempts never each hold what the other waits for) or none.
/// </summary>
internal sealed class NamedLimits(ILimitLedgers? ledgers, Func<IReadOnlyDictionary<string, LimitDefinition>> definitions, TimeProvider time, TimeSpan lease)
{
    /// <summary>How soon a block refused a limit for its concurrency asks again, at first; it waits longer each time after.</summary>
    public static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(1);

    /// <summary>The longest a block refused a limit for its concurrency waits before asking again.</summary>
    public static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait before asking again after <paramref name="refusals"/> refusals in a row: 1 s, doubling, at most 15 s.</summary>
    public static TimeSpan PollAfter(int refusals) =>
        TimeSpan.FromSeconds(Math.Min(LongestPoll.TotalSeconds, FirstPoll.TotalSeconds * Math.Pow(2, Math.Clamp(refusals, 0, 10))));

    // Versions that keep losing to other writers: a limit taken by many at once. Enough rounds for each to get through.
    private const int Tries = 50;

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// Takes <paramref name="names"/> for <paramref name="holder"/>: the hold (renewed while it lives, given back when
    /// disposed), or the first limit that refused and when to ask again (nothing is held then).
    /// </summary>
    /// <exception cref="NonRetryableBlockException">A limit is not in duraflow.yaml, or the store keeps no limits.</exception>
    /// <param name="names">The block's limits.</param>
    /// <param name="holder">A token of this take, new for every delivery of an attempt: a redelivered attempt takes a share of its own.</param>
    /// <param name="poll">How soon to ask again at most when a limit's concurrency is full (see <see cref="PollAfter"/>).</param>
    /// <param name="cancellationToken">Stops the take; nothing stays held.</param>
    public async Task<(LimitHold? Hold, string? Refused, DateTimeOffset RetryAt)> TakeAsync(
        IReadOnlyList<string> names, string holder, TimeSpan poll, CancellationToken cancellationToken)
    {
        var store = ledgers ?? throw new NonRetryableBlockException("this run store keeps no named limits");
        var current = definitions();
        var taken = new List<string>();
        try
        {
            foreach (var name in names.Order(StringComparer.Ordinal))
            {
                var limit = current.TryGetValue(name, out var defined)
                    ? defined
                    : throw new NonRetryableBlockException($"limit '{name}' is not in duraflow.yaml's limits (any more); add it back, or remove it from the block's limits");
                var again = await ChangeAsync(store, name, ledger => ledger.TryTake(limit, holder, Now, Now + lease, poll), cancellationToken).ConfigureAwait(false);
                if (again is { } retryAt)
                {
                    // All or none: what was taken is taken back, its starts too, since the block does not run.
                    await GiveBackAsync(store, taken, holder, undo: true).ConfigureAwait(false);
                    return (null, name, retryAt);
                }

                taken.Add(name);
            }
        }
        catch (Exception) when (taken.Count > 0)
        {
            // Cancelled, a store failure, an unknown limit after a known one: nothing stays held for a block that does not run.
            await GiveBackAsync(store, taken, holder, undo: true).ConfigureAwait(false);
            throw;
        }

        return (new LimitHold(this, store, taken, holder, lease), null, default);
    }

    /// <summary>Extends the holder's leases; false when one of them ran out and was given to another.</summary>
    internal async Task<bool> RenewAsync(ILimitLedgers store, IReadOnlyList<string> names, string holder, CancellationToken cancellationToken)
    {
        var held = true;
        foreach (var name in names)
        {
            held &= await ChangeAsync(store, name, ledger => ledger.Renew(holder, Now + lease), cancellationToken).ConfigureAwait(false);
        }

        return held;
    }

    /// <summary>
    /// Gives the holder's shares back (with <paramref name="undo"/>, its starts too: the block did not run); not
    /// cancellable, as the block has ended either way, and never failing: a share the store did not hear about comes
    /// back when its lease runs out.
    /// </summary>
    internal static async Task GiveBackAsync(ILimitLedgers store, IEnumerable<string> names, string holder, bool undo)
    {
        foreach (var name in names)
        {
            try
            {
                await ChangeAsync(store, name, ledger => undo ? ledger.Undo(holder) : ledger.Release(holder), CancellationToken.None).ConfigureAwait(false);
            }
            catch (StoreUnavailableException)
            {
                // The lease returns it.
            }
        }
    }

    // Reads the ledger, changes it, and stores it under the version read; another writer in between means again.
    private static async Task<T> ChangeAsync<T>(ILimitLedgers store, string name, Func<LimitLedger, T> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.GetLimitLedgerAsync(name, cancellationToken).ConfigureAwait(false);
            var ledger = LimitLedger.Read(stored?.Ledger);
            var before = ledger.Write();
            var result = change(ledger);
            var after = ledger.Write();
            if (after == before || await store.TrySetLimitLedgerAsync(name, after, stored?.Version, cancellationToken).ConfigureAwait(false))
            {
                return result;
            }

            if (attempt == Tries)
            {
                throw new StoreUnavailableException($"limit '{name}' changed under every one of {Tries} tries to update it; too many takers at once");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt, 10))), cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Text.Json;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// One named limit's ledger, as stored: who holds it until when (a lease its holder renews while it runs, so a dead
/// holder's share comes back when the lease runs out), and when it was taken within the rate's window. Pure: the
/// clock is passed in, and <see cref="NamedLimits"/> stores the result under the ledger's version.
/// </summary>
internal sealed class LimitLedger
{
    /// <summary>Holders and when their lease ends.</summary>
    public Dictionary<string, DateTimeOffset> Holders { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When it was taken, oldest first, within the rate's window.</summary>
    public List<DateTimeOffset> Takes { get; set; } = [];

    /// <summary>Reads a stored ledger; null or empty text is a ledger nobody has taken.</summary>
    public static LimitLedger Read(string? json) =>
        string.IsNullOrEmpty(json) ? new LimitLedger() : JsonSerializer.Deserialize<LimitLedger>(json, EngineJson.Options) ?? new LimitLedger();

    /// <summary>The ledger as stored.</summary>
    public string Write() => JsonSerializer.Serialize(this, EngineJson.Options);

    /// <summary>
    /// Takes <paramref name="limit"/> for <paramref name="holder"/> until <paramref name="leaseUntil"/>: null when
    /// taken (or held already: a redelivered attempt takes it again without counting twice), else when to ask again.
    /// </summary>
    /// <param name="limit">The limit as duraflow.yaml defines it now.</param>
    /// <param name="holder">Who takes it: a block attempt.</param>
    /// <param name="now">The clock.</param>
    /// <param name="leaseUntil">How long the share is held unless renewed.</param>
    /// <param name="poll">How soon a block refused for concurrency asks again, at most: a holder usually ends before its lease does.</param>
    public DateTimeOffset? TryTake(LimitDefinition limit, string holder, DateTimeOffset now, DateTimeOffset leaseUntil, TimeSpan poll)
    {
        Forget(limit, now);
        if (Holders.ContainsKey(holder))
        {
            Holders[holder] = leaseUntil;
            return null;
        }

        DateTimeOffset? again = null;
        if (limit.Concurrency is { } most && Holders.Count >= most)
        {
            // A share comes back at the latest when the soonest lease runs out; usually sooner, when a holder ends.
            var soonestLease = Holders.Values.Min();
            again = soonestLease < now + poll ? soonestLease : now + poll;
        }

        if (limit is { Starts: { } starts, Period: { } period } && Takes.Count >= starts)
        {
            var rateFree = Takes[Takes.Count - starts] + period;
            again = again is { } other && other > rateFree ? other : rateFree;
        }

        if (again is { } later)
        {
            return later;
        }

        Holders[holder] = leaseUntil;
        if (limit.Starts is not null)
        {
            Takes.Add(now);
        }

        return null;
    }

    /// <summary>Extends <paramref name="holder"/>'s lease; false when it holds nothing (its lease ran out and was given away).</summary>
    public bool Renew(string holder, DateTimeOffset leaseUntil)
    {
        if (!Holders.ContainsKey(holder))
        {
            return false;
        }

        Holders[holder] = leaseUntil;
        return true;
    }

    /// <summary>Gives <paramref name="holder"/>'s share back; true when it held one.</summary>
    public bool Release(string holder) => Holders.Remove(holder);

    // Leases that ran out (their holder died) and takes older than the rate's window count no more.
    private void Forget(LimitDefinition limit, DateTimeOffset now)
    {
        foreach (var expired in Holders.Where(h => h.Value <= now).Select(h => h.Key).ToList())
        {
            Holders.Remove(expired);
        }

        Takes.RemoveAll(t => limit.Period is not { } period || t + period <= now);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// One named limit's ledger, as stored: who holds it until when (a lease its holder renews while it runs, so a dead
/// holder's share comes back when the lease runs out), and who took it when within the rate's window. Times are Unix
/// milliseconds and holders short tokens, so a full ledger stays far below a table property's 32K characters. Pure:
/// the clock is passed in, and <see cref="NamedLimits"/> stores the result under the ledger's version.
/// </summary>
internal sealed class LimitLedger
{
    /// <summary>Holders and when their lease ends (Unix ms).</summary>
    [JsonPropertyName("h")]
    public Dictionary<string, long> Holders { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Who took it when (Unix ms), within the rate's window.</summary>
    [JsonPropertyName("t")]
    public Dictionary<string, long> Takes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Reads a stored ledger; null or empty text is a ledger nobody has taken.</summary>
    public static LimitLedger Read(string? json) =>
        string.IsNullOrEmpty(json) ? new LimitLedger() : JsonSerializer.Deserialize<LimitLedger>(json, EngineJson.Options) ?? new LimitLedger();

    /// <summary>The ledger as stored.</summary>
    public string Write() => JsonSerializer.Serialize(this, EngineJson.Options);

    /// <summary>
    /// Takes <paramref name="limit"/> for <paramref name="holder"/> until <paramref name="leaseUntil"/>: null when
    /// taken (or held already by this holder, whose lease it extends), else when to ask again.
    /// </summary>
    /// <param name="limit">The limit as duraflow.yaml defines it now.</param>
    /// <param name="holder">Who takes it: one take of one block attempt.</param>
    /// <param name="now">The clock.</param>
    /// <param name="leaseUntil">How long the share is held unless renewed.</param>
    /// <param name="poll">How soon a block refused for concurrency asks again, at most: a holder usually ends before its lease does.</param>
    public DateTimeOffset? TryTake(LimitDefinition limit, string holder, DateTimeOffset now, DateTimeOffset leaseUntil, TimeSpan poll)
    {
        Forget(limit, now);
        if (Holders.ContainsKey(holder))
        {
            Holders[holder] = leaseUntil.ToUnixTimeMilliseconds();
            return null;
        }

        DateTimeOffset? again = null;
        if (limit.Concurrency is { } most && Holders.Count >= most)
        {
            // A share comes back at the latest when the soonest lease runs out; usually sooner, when a holder ends.
            var soonestLease = DateTimeOffset.FromUnixTimeMilliseconds(Holders.Values.Min());
            again = soonestLease < now + poll ? soonestLease : now + poll;
        }

        if (limit is { Starts: { } starts, Period: { } period } && Takes.Count >= starts)
        {
            var rateFree = DateTimeOffset.FromUnixTimeMilliseconds(Takes.Values.Order().ElementAt(Takes.Count - starts)) + period;
            again = again is { } other && other > rateFree ? other : rateFree;
        }

        if (again is { } later)
        {
            return later;
        }

        Holders[holder] = leaseUntil.ToUnixTimeMilliseconds();
        if (limit.Starts is not null)
        {
            Takes[holder] = now.ToUnixTimeMilliseconds();
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

        Holders[holder] = leaseUntil.ToUnixTimeMilliseconds();
        return true;
    }

    /// <summary>Gives <paramref name="holder"/>'s share back after it ran; its take still counts against the rate.</summary>
    public bool Release(string holder) => Holders.Remove(holder);

    /// <summary>Takes back a take whose block did not run (another of its limits was at its bound): share and start both.</summary>
    public bool Undo(string holder) => Holders.Remove(holder) | Takes.Remove(holder);

    // Leases that ran out (their holder died) and takes older than the rate's window count no more.
    private void Forget(LimitDefinition limit, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var expired in Holders.Where(h => h.Value <= nowMs).Select(h => h.Key).ToList())
        {
            Holders.Remove(expired);
        }

        var windowMs = limit.Period is { } period ? (long)period.TotalMilliseconds : 0;
        foreach (var old in Takes.Where(t => t.Value + windowMs <= nowMs).Select(t => t.Key).ToList())
        {
            Takes.Remove(old);
        }
    }
}

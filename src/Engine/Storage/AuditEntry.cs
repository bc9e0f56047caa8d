using System.Text.Json;

namespace Duraflow.Engine.Storage;

/// <summary>One change made through the API or the CLI, as the audit log keeps it.</summary>
/// <param name="Id">Its id, which sorts by time: newest first in listings.</param>
/// <param name="At">When it was made.</param>
/// <param name="Actor">Who made it: <c>key:ci</c>, <c>entra:ana@contoso.com (oid …)</c>, <c>cli:ana@host</c>, <c>api-key</c>.</param>
/// <param name="ActorKind">How the actor was let in: <c>key</c>, <c>session</c>, <c>entra</c>, <c>local</c>, <c>cli</c>.</param>
/// <param name="Action">What was done, such as <c>run.start</c> or <c>key.revoke</c>.</param>
/// <param name="Target">What it was done to, such as <c>pipeline:orders</c> or <c>run:orders-…</c>; empty for the whole store.</param>
/// <param name="Parameters">What was asked, with secrets masked; null when nothing was.</param>
/// <param name="Result">How it ended: the HTTP status (<c>202</c>, <c>403</c>), <c>error: TYPE</c> when the endpoint failed, or, from the CLI, <c>ok</c>.</param>
/// <param name="Client">The client's network address, when it came over HTTP.</param>
internal sealed record AuditEntry(
    string Id, DateTimeOffset At, string Actor, string ActorKind, string Action, string Target, JsonElement? Parameters, string Result, string? Client);

/// <summary>Which audit entries to list: newest first, at or after <paramref name="Since"/>, before the entry <paramref name="Before"/> (paging).</summary>
internal sealed record AuditQuery(DateTimeOffset? Since, string? Actor, string? Action, int Limit, string? Before = null);

/// <summary>
/// The audit log: entries are appended and listed; nothing changes one, and the only removal is the retention
/// setting's (<see cref="PurgeAuditAsync"/>) of entries past their age.
/// </summary>
internal interface IAuditLog
{
    /// <summary>Appends <paramref name="entry"/>.</summary>
    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Removes entries made before <paramref name="cutoff"/>, at most <paramref name="max"/>; returns how many.</summary>
    Task<int> PurgeAuditAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken);
}

/// <summary>Makes audit entry ids: the time, inverted so that the newest sorts first in a table scan, and a random tail.</summary>
internal static class AuditIds
{
    /// <summary>A new id for an entry made at <paramref name="at"/>.</summary>
    public static string For(DateTimeOffset at) => $"{InvertedMs(at)}-{Guid.NewGuid():N}"[..36];

    /// <summary>The id prefix of entries made at <paramref name="at"/>; every later entry's id sorts before it.</summary>
    public static string Bound(DateTimeOffset at) => InvertedMs(at);

    private static string InvertedMs(DateTimeOffset at) =>
        (9_999_999_999_999 - at.ToUnixTimeMilliseconds()).ToString("D13", System.Globalization.CultureInfo.InvariantCulture);
}

namespace Duraflow.Engine.Workers;

/// <summary>What a purge did.</summary>
/// <param name="EndedBefore">The cutoff: runs that ended before it were purged.</param>
/// <param name="Purged">Runs removed.</param>
/// <param name="Kept">
/// Runs that matched but stayed: their runtime's history could not be purged (see <paramref name="KeptBecause"/>), or
/// they changed meanwhile (a retry).
/// </param>
/// <param name="More">True when the purge stopped at its limit with matching runs left.</param>
/// <param name="KeptBecause">Why the last run kept for its history was kept; null when none was.</param>
internal sealed record RunPurgeResult(DateTimeOffset EndedBefore, int Purged, int Kept, bool More, string? KeptBecause);

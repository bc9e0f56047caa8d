using System.Text.Json.Serialization;

namespace Duraflow.Engine.Definitions;

/// <summary>
/// Reuse of a block's earlier output when what it computes from is unchanged (<c>cache: true</c>), optionally bounded
/// by age, keyed also by a template, and narrowed to some parts of the default key.
/// </summary>
/// <param name="Ttl">How long a cached output stays usable; null means until its key changes.</param>
/// <param name="Key">A template added to the cache key, such as <c>{{ params.day }}</c>; null for none.</param>
/// <param name="Parts">What the key is made of, besides <paramref name="Key"/>; null for all of <see cref="CacheParts.All"/>.</param>
internal sealed record CachePolicy(TimeSpan? Ttl, string? Key, IReadOnlyList<string>? Parts = null)
{
    /// <summary>The parts the key is made of, all of them when <see cref="Parts"/> is null.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> EffectiveParts => Parts ?? CacheParts.All;
}

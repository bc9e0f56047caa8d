namespace Duraflow.Engine.Definitions;

/// <summary>
/// Reuse of a block's earlier output when its code, config and inputs are unchanged (<c>cache: true</c>),
/// optionally bounded by age and keyed by a template.
/// </summary>
/// <param name="Ttl">How long a cached output stays usable; null means until the inputs change.</param>
/// <param name="Key">A template added to the cache key, such as <c>{{ params.day }}</c>; null for none.</param>
internal sealed record CachePolicy(TimeSpan? Ttl, string? Key);

namespace Duraflow.Engine.Definitions;

/// <summary>
/// A named limit of duraflow.yaml's <c>limits:</c>, shared by every run and worker of the project: at most
/// <paramref name="Concurrency"/> blocks holding it at once, and at most <paramref name="Starts"/> blocks taking it
/// per <paramref name="Period"/>. At least one of the two is set.
/// </summary>
/// <param name="Name">The limit's name, as blocks and pipelines list it under their <c>limits:</c>.</param>
/// <param name="Concurrency">The most holders at once, or null for no such bound.</param>
/// <param name="Starts">The most takes per <paramref name="Period"/> (<c>rate: 10/1m</c>), or null for no rate.</param>
/// <param name="Period">The window of the rate.</param>
internal sealed record LimitDefinition(string Name, int? Concurrency, int? Starts, TimeSpan? Period);

using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Connections;

/// <summary>
/// A connection as written in io_config.yaml, before its <c>{{ env.X }}</c> and <c>{{ secrets.X }}</c> are resolved.
/// </summary>
internal sealed record ConnectionDefinition
{
    /// <summary>The connection's name, the key under its profile.</summary>
    public required string Name { get; init; }

    /// <summary>The profile it is declared in: the selected one, or <c>default</c> when inherited from there.</summary>
    public required string Profile { get; init; }

    /// <summary>Its type: <c>postgres</c>, <c>sqlserver</c>, <c>sqlite</c>, <c>duckdb</c>, <c>azure_blob</c> or <c>http</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Every setting but <c>type</c>, as written (templates unresolved).</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Where the connection's name is written.</summary>
    public required SourceLocation Location { get; init; }
}

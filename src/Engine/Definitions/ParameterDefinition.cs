using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Definitions;

/// <summary>A typed run parameter.</summary>
internal sealed record ParameterDefinition
{
    /// <summary>The parameter name, used as <c>{{ params.NAME }}</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The value type.</summary>
    public required ParameterType Type { get; init; }

    /// <summary>
    /// The default, already converted by <see cref="ParameterValues"/> (string, long, double, bool, DateOnly,
    /// DateTimeOffset or JsonNode), or null when there is none.
    /// </summary>
    public object? Default { get; init; }

    /// <summary>True when a run must supply a value.</summary>
    public bool Required { get; init; }

    /// <summary>
    /// True for a value that must not be shown: masked as <c>***</c> wherever a run is read (CLI, API) and redacted from
    /// the run's logs, errors and outputs like a secret.
    /// </summary>
    public bool Secret { get; init; }

    /// <summary>The only values allowed, converted like <see cref="Default"/>; empty means any value of the type.</summary>
    public IReadOnlyList<object> Allowed { get; init; } = [];

    /// <summary>What the parameter is for.</summary>
    public string? Description { get; init; }

    /// <summary>Where the parameter is declared.</summary>
    public required SourceLocation Location { get; init; }
}

namespace Duraflow.Blocks.Compiled;

/// <summary>One parameter of a compiled block's <c>Run</c> or <c>RunAsync</c> method, and what it receives.</summary>
/// <param name="Name">The parameter's name in C#, such as <c>perCountry</c>.</param>
/// <param name="ValueName">
/// For <see cref="ClassBlockParameterKind.Value"/>: the block, setting or run parameter it reads, the C# name in snake_case
/// (<c>per_country</c>); otherwise null.
/// </param>
/// <param name="Type">The parameter's type.</param>
/// <param name="Kind">What the engine passes.</param>
internal sealed record ClassBlockParameter(string Name, string? ValueName, Type Type, ClassBlockParameterKind Kind)
{
    /// <summary>True when C# gives the parameter a default value, used when the value it reads is null.</summary>
    public bool HasDefaultValue { get; init; }

    /// <summary>The C# default value, when <see cref="HasDefaultValue"/>.</summary>
    public object? DefaultValue { get; init; }
}

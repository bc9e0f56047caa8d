using Duraflow.Blocks;

// Compiled blocks for validation and run tests, found by name in this test assembly as the project's blocks/ would be.
namespace Duraflow.Engine.Tests.Samples;

#pragma warning disable CA1822 // A block's Run is an instance method by contract, however little state it uses.

public sealed record Number(long N);

/// <summary>Reads the table of block <c>numbers</c> and the run parameter <c>factor</c>.</summary>
public sealed class ScaledSum
{
    public object Run(IEnumerable<Number> numbers, long factor, BlockContext context) =>
        new { Block = context.Block, Sum = numbers.Sum(n => n.N) * factor };
}

/// <summary>Like <see cref="ScaledSum"/> without the context, so every with: key must be one of its parameters.</summary>
public sealed class PlainScaledSum
{
    public long Run(IEnumerable<Number> numbers, long factor) => numbers.Sum(n => n.N) * factor;
}

public sealed class ReadsAMisspeltBlock
{
    public int Run(Number[] nubmers) => nubmers.Length;
}

public sealed class NotABlock
{
    public int Execute() => 1;
}

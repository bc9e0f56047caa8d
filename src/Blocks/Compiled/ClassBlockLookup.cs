namespace Duraflow.Blocks.Compiled;

/// <summary>The outcome of looking up a <c>class:</c> name: the block, or what is wrong and how to fix it.</summary>
internal sealed record ClassBlockLookup
{
    private ClassBlockLookup(ClassBlock? block, ClassBlockProblem problem, string? error)
    {
        Block = block;
        Problem = problem;
        Error = error;
    }

    /// <summary>The block, when it was found and is runnable.</summary>
    public ClassBlock? Block { get; }

    /// <summary>What went wrong; <see cref="ClassBlockProblem.None"/> when <see cref="Block"/> is set.</summary>
    public ClassBlockProblem Problem { get; }

    /// <summary>A sentence for the user naming the problem and its fix; null when the block was found.</summary>
    public string? Error { get; }

    /// <summary>A block that was found.</summary>
    public static ClassBlockLookup Found(ClassBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return new ClassBlockLookup(block, ClassBlockProblem.None, null);
    }

    /// <summary>A lookup that failed for <paramref name="problem"/>, explained by <paramref name="error"/>.</summary>
    public static ClassBlockLookup Failed(ClassBlockProblem problem, string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        if (problem == ClassBlockProblem.None)
        {
            throw new ArgumentOutOfRangeException(nameof(problem), problem, "a failed lookup needs a problem");
        }

        return new ClassBlockLookup(null, problem, error);
    }
}

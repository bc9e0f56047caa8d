namespace Duraflow.Blocks.Compiled;

/// <summary>Why a <c>class:</c> name did not give a runnable block.</summary>
internal enum ClassBlockProblem
{
    /// <summary>The block was found and is runnable.</summary>
    None,

    /// <summary>No loaded assembly has a public class of that name.</summary>
    UnknownClass,

    /// <summary>The class exists but does not have the shape of a block (one public <c>Run</c>/<c>RunAsync</c>, ...).</summary>
    NotABlock,

    /// <summary>The compiled blocks could not be built or loaded, so no class can be looked up.</summary>
    Unavailable,
}

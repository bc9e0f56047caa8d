namespace Duraflow.Blocks.Compiled;

/// <summary>What the engine passes for one parameter of a compiled block's <c>Run</c> or <c>RunAsync</c> method.</summary>
internal enum ClassBlockParameterKind
{
    /// <summary>A value found by the parameter's snake_case name: an upstream block's output, a <c>with:</c> setting or a run parameter.</summary>
    Value,

    /// <summary>The attempt's <see cref="BlockContext"/>.</summary>
    Context,

    /// <summary>The attempt's cancellation token (<see cref="BlockContext.CancellationToken"/>).</summary>
    CancellationToken,
}
